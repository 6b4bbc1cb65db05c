import { Badge, Button, Card, makeStyles, Text, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { QueueStateView } from '../../../../shared/contract/enrollment';
import { useClient } from '../../app/client-context';

const useStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  header: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

/**
 * Operations waiting for the network, live, with the user's UPN, state, attempts and last error, and a manual
 * replay (the service also replays by itself).
 */
export function QueuePanel() {
  const { t } = useTranslation();
  const styles = useStyles();
  const client = useClient();
  const [queue, setQueue] = useState<QueueStateView | null>(null);

  useEffect(() => {
    const unsubscribe = client.on('enrollment:queue-changed', setQueue);
    client.invoke('enrollment:get-queue').then(setQueue, () => undefined);
    return unsubscribe;
  }, [client]);

  const pending = (queue?.items ?? []).filter((item) => item.state !== 'done');
  return (
    <Card className={styles.card} data-testid="queue-panel">
      <div className={styles.header}>
        <Text as="h2" size={400} weight="semibold">
          {t('enrollment.queueTitle')}
        </Text>
        {queue !== null && (
          <Badge appearance="tint" color={queue.isOnline ? 'success' : 'danger'}>
            {queue.isOnline ? t('enrollment.queueOnline') : t('enrollment.queueOffline')}
          </Badge>
        )}
      </div>
      {pending.length === 0 ? (
        <Text>{t('enrollment.queueEmpty')}</Text>
      ) : (
        <ul className={styles.list}>
          {pending.map((item) => (
            <li key={item.id} data-testid="queue-item">
              {t(`enrollment.queueKinds.${item.kind}`)} — {item.userPrincipalName} —{' '}
              {t(`enrollment.queueStates.${item.state}`)} ({t('enrollment.attempts', { count: item.attempts })})
              {item.lastError !== null && ` — ${t(`errors.${item.lastError}`, { defaultValue: item.lastError })}`}
            </li>
          ))}
        </ul>
      )}
      <Button
        size="small"
        disabled={pending.length === 0}
        onClick={() => {
          client.invoke('enrollment:replay').then(setQueue, () => undefined);
        }}
      >
        {t('enrollment.replay')}
      </Button>
    </Card>
  );
}

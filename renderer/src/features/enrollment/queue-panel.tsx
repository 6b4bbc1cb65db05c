import { Badge, Button, Card, makeStyles, Text, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { QueueItemView, QueueStateView } from '../../../../shared/contract/enrollment';
import { toContractError } from '../../../../shared/contract/client';
import { useClient } from '../../app/client-context';
import { QueueItemRow } from './queue-item-row';
import type { QueueAction } from './queue-item-row';

const useStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  header: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column' },
  announce: { color: tokens.colorPaletteRedForeground1 },
});

/**
 * Operations waiting for the network, live, with the user's UPN, state, attempts and last error, and a manual
 * replay (the service also replays by itself). A replay refused for good or held for confirmation stays listed with
 * its actions, and is announced (aria-live) when it happens.
 */
export function QueuePanel() {
  const { t } = useTranslation();
  const styles = useStyles();
  const client = useClient();
  const [queue, setQueue] = useState<QueueStateView | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);

  useEffect(() => {
    const announce = (item: QueueItemView) => {
      const error = item.lastError === null ? '' : t(`errors.${item.lastError}`, { defaultValue: item.lastError });
      setAnnouncement(
        item.state === 'needs-confirmation'
          ? t('enrollment.queueAnnounceHeld', { user: item.userPrincipalName })
          : t('enrollment.queueAnnounceFailed', { user: item.userPrincipalName, error }),
      );
    };
    const offQueue = client.on('enrollment:queue-changed', setQueue);
    const offFailed = client.on('enrollment:replay-failed', announce);
    client.invoke('enrollment:get-queue').then(setQueue, () => undefined);
    return () => {
      offQueue();
      offFailed();
    };
  }, [client, t]);

  const act = (id: number, action: QueueAction) => {
    setBusy(true);
    setActionError(null);
    const call = (): Promise<QueueStateView> => {
      switch (action.kind) {
        case 'retry':
          return client.invoke('enrollment:retry-item', { id });
        case 'dismiss':
          return client.invoke('enrollment:dismiss-item', { id });
        case 'confirm':
          return client.invoke('enrollment:confirm-item', { id, userId: action.userId });
      }
    };
    call()
      .then(setQueue, (error: unknown) => {
        const { messageKey, details } = toContractError(error);
        setActionError(t(messageKey, details ?? {}));
      })
      .finally(() => {
        setBusy(false);
      });
  };

  const items = (queue?.items ?? []).filter((item) => item.state !== 'done' && item.state !== 'dismissed');
  const hasPending = items.some((item) => item.state === 'pending' || item.state === 'in-flight');
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
      <div role="status" aria-live="assertive" className={styles.announce} data-testid="queue-announcement">
        {announcement}
      </div>
      {items.length === 0 ? (
        <Text>{t('enrollment.queueEmpty')}</Text>
      ) : (
        <ul className={styles.list}>
          {items.map((item) => (
            <QueueItemRow
              key={item.id}
              item={item}
              busy={busy}
              onAction={(action) => {
                act(item.id, action);
              }}
            />
          ))}
        </ul>
      )}
      {actionError !== null && (
        <Text role="alert" className={styles.announce}>
          {actionError}
        </Text>
      )}
      <Button
        size="small"
        disabled={!hasPending}
        onClick={() => {
          client.invoke('enrollment:replay').then(setQueue, () => undefined);
        }}
      >
        {t('enrollment.replay')}
      </Button>
    </Card>
  );
}

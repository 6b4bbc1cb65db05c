import { Button, makeStyles, Text, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { QueueItemView } from '../../../../shared/contract/enrollment';

const useStyles = makeStyles({
  row: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS },
  hold: { color: tokens.colorPaletteMarigoldForeground2 },
});

/** What the agent can do with an item (the panel sends it and shows the new queue). */
export type QueueAction = { kind: 'retry' | 'dismiss' } | { kind: 'confirm'; userId: string };

/**
 * One queue item: operation, user, state, attempts and translated last error. A refused item offers « Réessayer »
 * and « Retirer de la file »; a held one says which account was found and why it is not sure, with « Confirmer ce
 * compte » and « Retirer de la file ».
 */
export function QueueItemRow({
  item,
  busy,
  onAction,
}: {
  item: QueueItemView;
  busy: boolean;
  onAction: (action: QueueAction) => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const hold = item.hold;
  const reasons = (hold?.reasons ?? []).map((r) => t(`enrollment.reasons.${r}`, { defaultValue: r })).join(', ');
  return (
    <li className={styles.row} data-testid="queue-item" data-state={item.state}>
      <Text>
        {t(`enrollment.queueKinds.${item.kind}`)} — {item.userPrincipalName} —{' '}
        {t(`enrollment.queueStates.${item.state}`)} ({t('enrollment.attempts', { count: item.attempts })})
        {item.lastError !== null &&
          item.state !== 'needs-confirmation' &&
          ` — ${t(`errors.${item.lastError}`, { defaultValue: item.lastError })}`}
      </Text>
      {hold !== undefined && (
        <Text className={styles.hold} data-testid="queue-item-hold">
          {t('enrollment.queueHold', {
            account: hold.displayName ?? hold.userPrincipalName,
            upn: hold.userPrincipalName,
            holder: hold.cardHolder ?? '—',
          })}{' '}
          {reasons === '' ? t('enrollment.queueHoldNoReason') : t('enrollment.queueHoldReasons', { reasons })}
        </Text>
      )}
      {(item.state === 'failed-permanent' || item.state === 'needs-confirmation') && (
        <div className={styles.actions}>
          {item.state === 'failed-permanent' && (
            <Button
              size="small"
              disabled={busy}
              onClick={() => {
                onAction({ kind: 'retry' });
              }}
            >
              {t('enrollment.queueRetry')}
            </Button>
          )}
          {hold !== undefined && (
            <Button
              size="small"
              appearance="primary"
              disabled={busy}
              onClick={() => {
                onAction({ kind: 'confirm', userId: hold.userId });
              }}
            >
              {t('enrollment.queueConfirm')}
            </Button>
          )}
          <Button
            size="small"
            disabled={busy}
            onClick={() => {
              onAction({ kind: 'dismiss' });
            }}
          >
            {t('enrollment.queueDismiss')}
          </Button>
        </div>
      )}
    </li>
  );
}

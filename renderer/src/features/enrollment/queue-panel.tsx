import { Badge, Button, Card, makeStyles, Text, tokens } from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EnrollmentOutcome, QueueItemView, QueueStateView } from '../../../../shared/contract/enrollment';
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

type Announcement = { text: string; isAlert: boolean };

const isWaiting = (item: QueueItemView) => item.state === 'pending' || item.state === 'in-flight';

/** Items waiting in `next` that `previous` did not list: just queued (the first view is a baseline, not news). */
function newlyQueued(previous: QueueStateView | null, next: QueueStateView): QueueItemView[] {
  if (previous === null) {
    return [];
  }
  const known = new Set(previous.items.map((item) => item.id));
  return next.items.filter((item) => item.state === 'pending' && !known.has(item.id));
}

/**
 * Operations waiting for the network, live, with the user's UPN, state, attempts and last error, and a manual
 * replay (the service also replays by itself). A step queued and a queued step replayed are announced politely
 * (role="status"); a replay refused for good or held for confirmation stays listed with its actions and is
 * announced as an alert (role="alert").
 */
export function QueuePanel() {
  const { t } = useTranslation();
  const styles = useStyles();
  const client = useClient();
  const [queue, setQueue] = useState<QueueStateView | null>(null);
  const [announcement, setAnnouncement] = useState<Announcement>({ text: '', isAlert: false });
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  // The last queue seen, read by the event handlers (a completion is news only for an item that was waiting).
  const seen = useRef<QueueStateView | null>(null);

  useEffect(() => {
    const show = (next: QueueStateView) => {
      const queued = newlyQueued(seen.current, next);
      seen.current = next;
      setQueue(next);
      const last = queued.at(-1);
      if (last !== undefined) {
        setAnnouncement({
          text: t('enrollment.queueAnnounceQueued', { user: last.userPrincipalName }),
          isAlert: false,
        });
      }
    };
    const completed = (outcome: EnrollmentOutcome) => {
      const upn = outcome.userPrincipalName.toLowerCase();
      const waited = seen.current?.items.some(
        (item) => isWaiting(item) && item.userPrincipalName.toLowerCase() === upn,
      );
      if (waited === true) {
        setAnnouncement({
          text: t('enrollment.queueAnnounceReplayed', { user: outcome.userPrincipalName }),
          isAlert: false,
        });
      }
    };
    const failed = (item: QueueItemView) => {
      const error = item.lastError === null ? '' : t(`errors.${item.lastError}`, { defaultValue: item.lastError });
      setAnnouncement({
        text:
          item.state === 'needs-confirmation'
            ? t('enrollment.queueAnnounceHeld', { user: item.userPrincipalName })
            : t('enrollment.queueAnnounceFailed', { user: item.userPrincipalName, error }),
        isAlert: true,
      });
    };
    const offQueue = client.on('enrollment:queue-changed', show);
    const offCompleted = client.on('enrollment:completed', completed);
    const offFailed = client.on('enrollment:replay-failed', failed);
    client.invoke('enrollment:get-queue').then(
      (state) => {
        seen.current ??= state;
        setQueue(state);
      },
      () => undefined,
    );
    return () => {
      offQueue();
      offCompleted();
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
      {/* Both regions are always in the DOM (a live region must exist before its text changes to be read). */}
      <div data-testid="queue-announcement">
        <div role="status" aria-live="polite" data-testid="queue-status">
          {announcement.isAlert ? '' : announcement.text}
        </div>
        <div role="alert" className={styles.announce} data-testid="queue-alert">
          {announcement.isAlert ? announcement.text : ''}
        </div>
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

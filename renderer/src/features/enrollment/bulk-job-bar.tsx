import { Button, makeStyles, MessageBar, MessageBarBody, ProgressBar, Text, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { BulkJob } from '../../../../shared/contract/bulk';
import { NoticeBar } from '../../app/notice-bar';

const useStyles = makeStyles({
  column: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
});

/**
 * A bulk job: progress bar with counts (announced politely to screen readers), why it paused, and its actions —
 * cancel while it runs; resume or abandon when paused; the results file at any time.
 */
export function BulkJobBar(props: {
  job: BulkJob;
  resultsUrl: string | null;
  /** Offered when the rows came from a path the app read (a CSV file or a folder); null otherwise. */
  onSaveNextToSource: (() => void) | null;
  savedPath: string | null;
  onCancel: () => void;
  onResume: () => void;
  onDiscard: () => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const { job } = props;
  const counts = {
    written: job.counts.written,
    unchanged: job.counts.unchanged,
    synced: job.counts['synced-user'],
    failed: job.counts.failed,
    skipped: job.counts.skipped,
    pending: job.counts.pending,
  };
  const pauseText = (() => {
    if (job.state === 'finished') {
      return t('bulk.finished', counts);
    }
    if (job.pause === null) {
      return null;
    }
    switch (job.pause.reason) {
      case 'cancelled':
        return t('bulk.cancelledNote');
      case 'offline':
        return t('bulk.pausedOffline');
      case 'interrupted':
        return t('bulk.pausedInterrupted', { done: job.done, total: job.total });
      case 'error':
        return t('bulk.pausedError', {
          message: job.pause.error === null ? '' : t(job.pause.error.messageKey, job.pause.error.details ?? {}),
        });
    }
  })();
  const isPaused = job.state === 'paused';
  return (
    <div className={styles.column} data-testid="bulk-job" data-state={job.state}>
      <div role="status" aria-live="polite" className={styles.column}>
        <ProgressBar
          value={job.total === 0 ? 1 : job.done / job.total}
          aria-label={t('bulk.progressLabel')}
          aria-valuetext={t('bulk.progress', { done: job.done, total: job.total })}
        />
        <Text data-testid="bulk-progress">{t('bulk.progress', { done: job.done, total: job.total })}</Text>
        <Text data-testid="bulk-counts">{t('bulk.counts', counts)}</Text>
      </div>
      {pauseText !== null && (
        <MessageBar
          intent={
            job.state === 'finished' ? (counts.failed > 0 ? 'warning' : 'success') : isPaused ? 'warning' : 'info'
          }
          layout="multiline"
          data-testid={job.state === 'finished' ? 'bulk-finished' : 'bulk-paused'}
        >
          <MessageBarBody>{pauseText}</MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.row}>
        {job.state === 'running' && <Button onClick={props.onCancel}>{t('bulk.cancel')}</Button>}
        {isPaused && (
          <>
            <Button appearance="primary" onClick={props.onResume}>
              {t('bulk.resume')}
            </Button>
            <Button onClick={props.onDiscard}>{t('bulk.discard')}</Button>
          </>
        )}
        {props.resultsUrl !== null && (
          <a
            href={props.resultsUrl}
            download={`${t('bulk.resultsFile.fileSuffix')}-${job.label.replace(/\.[^.]*$/, '')}.csv`}
            data-testid="bulk-download"
          >
            {t('bulk.download')}
          </a>
        )}
        {props.onSaveNextToSource !== null && (
          <Button onClick={props.onSaveNextToSource} data-testid="bulk-save-next-to-source">
            {t('bulk.saveNextToSource')}
          </Button>
        )}
      </div>
      {props.savedPath !== null && (
        <NoticeBar intent="success" data-testid="bulk-saved">
          <MessageBarBody>{t('bulk.savedNextToSource', { path: props.savedPath })}</MessageBarBody>
        </NoticeBar>
      )}
    </div>
  );
}

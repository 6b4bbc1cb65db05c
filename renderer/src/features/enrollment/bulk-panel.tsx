import { Button, Card, makeStyles, MessageBarBody, Spinner, Text, tokens } from '@fluentui/react-components';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BulkJob, BulkPreview, BulkResults, BulkSource } from '../../../../shared/contract/bulk';
import { toContractError } from '../../../../shared/contract/client';
import type { ContractError } from '../../../../shared/contract/envelope';
import { writeBulkJobResultsCsv } from '../../../../shared/enrollment/bulk-results';
import { catalogs } from '../../../../shared/i18n';
import { useClient } from '../../app/client-context';
import { BulkJobBar } from './bulk-job-bar';
import { BulkRowsTable } from './bulk-rows-table';
import type { BulkDisplayRow } from './bulk-rows-table';
import { BulkSourcePicker } from './bulk-source-picker';
import { useFocusRescue } from './focus-rescue';
import { NoticeBar } from '../../app/notice-bar';

const useStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
});

/**
 * Bulk enrollment: choose a CSV or a folder, check every row against the tenant (statuses, values, conflicts), apply
 * as a durable job with progress, cancel and resume (an unfinished job is offered again after a restart), then
 * download the per-row results.
 */
export function BulkPanel(props: { canApply: boolean }) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const client = useClient();
  const language = i18n.language === 'en' ? 'en' : 'fr';
  const [source, setSource] = useState<BulkSource | null>(null);
  const [preview, setPreview] = useState<BulkPreview | null>(null);
  const [job, setJob] = useState<BulkJob | null>(null);
  const [results, setResults] = useState<BulkResults | null>(null);
  const [error, setError] = useState<ContractError | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  // Keyboard users land on the check's result (or its error) when focus was lost meanwhile.
  const errorRef = useRef<HTMLDivElement>(null);
  const previewRef = useRef<HTMLDivElement>(null);
  useFocusRescue(errorRef, error);
  useFocusRescue(previewRef, preview);
  const [savedPath, setSavedPath] = useState<string | null>(null);
  // The path the job's rows came from (a CSV or a folder read by the app): its results can be saved beside it.
  const [sourcePath, setSourcePath] = useState<string | null>(null);

  const call = useCallback(async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
    setError(null);
    try {
      return await action();
    } catch (failure) {
      setError(toContractError(failure));
      return undefined;
    }
  }, []);

  useEffect(() => {
    const offProgress = client.on('bulk:progress', (event) => {
      setJob(event.job);
    });
    const offFinished = client.on('bulk:finished', (event) => {
      setJob(event.job);
      setResults({ job: event.job, results: event.results, resultsCsv: event.resultsCsv });
    });
    return () => {
      offProgress();
      offFinished();
    };
  }, [client]);

  // An unfinished job (paused, or interrupted by a restart) is offered again once the agent is signed in.
  useEffect(() => {
    if (!props.canApply) {
      return;
    }
    void (async () => {
      try {
        const current = await client.invoke('bulk:get-job', undefined);
        if (current !== null) {
          setJob(current);
          setResults(await client.invoke('bulk:get-results', { jobId: current.jobId }));
        }
      } catch {
        // Not signed in yet or no store: nothing to offer.
      }
    })();
  }, [client, props.canApply]);

  // Rebuilt here in the UI language (headers, statuses, messages), from the same rows the service wrote it from.
  const resultsUrl = useMemo(
    () =>
      results === null
        ? null
        : URL.createObjectURL(
            new Blob([writeBulkJobResultsCsv(results.results, catalogs[language])], {
              type: 'text/csv;charset=utf-8',
            }),
          ),
    [results, language],
  );
  useEffect(
    () => () => {
      if (resultsUrl !== null) {
        URL.revokeObjectURL(resultsUrl);
      }
    },
    [resultsUrl],
  );

  const check = async (next: BulkSource) => {
    setSource(next);
    setIsBusy(true);
    setPreview((await call(() => client.invoke('bulk:preview', { source: next }))) ?? null);
    setIsBusy(false);
  };

  const apply = async () => {
    if (source === null) {
      return;
    }
    setResults(null);
    setSavedPath(null);
    setIsBusy(true);
    const started = await call(() => client.invoke('bulk:apply', { source }));
    setSourcePath(started !== undefined && source.kind !== 'csv-text' ? source.path : null);
    setIsBusy(false);
  };

  const saveNextToSource = () => {
    if (job === null || sourcePath === null) {
      return;
    }
    const { jobId } = job;
    void call(async () => {
      setSavedPath((await client.invoke('bulk:save-results', { jobId, sourcePath, language })).path);
    });
  };

  const jobAction = (channel: 'bulk:cancel' | 'bulk:resume' | 'bulk:discard') => {
    if (job === null) {
      return;
    }
    const { jobId } = job;
    void call(async () => {
      await client.invoke(channel, { jobId });
      if (channel === 'bulk:discard') {
        setJob(null);
        setResults(null);
      }
    });
  };

  const rows: BulkDisplayRow[] = useMemo(() => {
    const byKey = new Map((results?.results ?? []).map((r) => [`${String(r.line)}:${r.source}`, r]));
    if (preview !== null && preview.fileError === null) {
      return preview.rows.map((p) => ({ preview: p, result: byKey.get(`${String(p.line)}:${p.source}`) ?? null }));
    }
    return (results?.results ?? []).map((r) => ({ preview: null, result: r }));
  }, [preview, results]);

  const fileError = preview?.fileError ?? null;
  const isRunning = job?.state === 'running';

  return (
    <Card className={styles.card} data-testid="bulk-panel">
      <Text as="h2" size={500} weight="semibold">
        {t('bulk.title')}
      </Text>
      <Text>{t('bulk.intro')}</Text>
      <BulkSourcePicker isBusy={isBusy || isRunning} onSource={(next) => void check(next)} />
      {isBusy && <Spinner size="tiny" label={t('bulk.previewing')} />}
      {error !== null && (
        <div ref={errorRef} tabIndex={-1}>
          <NoticeBar intent="error" data-testid="bulk-error">
            <MessageBarBody>{t(error.messageKey, error.details ?? {})}</MessageBarBody>
          </NoticeBar>
        </div>
      )}
      {fileError !== null && (
        <NoticeBar intent="error" data-testid="bulk-file-error">
          <MessageBarBody>{t(fileError.messageKey, fileError.details ?? {})}</MessageBarBody>
        </NoticeBar>
      )}
      {preview !== null && fileError === null && (
        <div className={styles.row} ref={previewRef} tabIndex={-1}>
          <Text>{t('bulk.preview', { count: preview.rows.length })}</Text>
          <Button
            appearance="primary"
            disabled={!props.canApply || isBusy || isRunning || job?.state === 'paused'}
            onClick={() => void apply()}
          >
            {t('bulk.apply')}
          </Button>
        </div>
      )}
      {job !== null && (
        <>
          {job.state !== 'running' && job.pause?.reason === 'interrupted' && (
            <Text weight="semibold">
              {t('bulk.unfinished', { label: job.label, date: new Date(job.createdAt).toLocaleString() })}
            </Text>
          )}
          <BulkJobBar
            job={job}
            resultsUrl={resultsUrl}
            savedPath={savedPath}
            onSaveNextToSource={sourcePath !== null && results !== null ? saveNextToSource : null}
            onCancel={() => {
              jobAction('bulk:cancel');
            }}
            onResume={() => {
              jobAction('bulk:resume');
            }}
            onDiscard={() => {
              jobAction('bulk:discard');
            }}
          />
        </>
      )}
      {rows.length > 0 && <BulkRowsTable rows={rows} />}
    </Card>
  );
}

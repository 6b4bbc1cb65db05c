import {
  Badge,
  Button,
  Card,
  makeStyles,
  MessageBar,
  MessageBarBody,
  ProgressBar,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BulkFinished, BulkPreview } from '../../../../shared/contract/bulk';
import { toContractError } from '../../../../shared/contract/client';
import type { ContractError } from '../../../../shared/contract/envelope';
import { useClient } from '../../app/client-context';

const useStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
  values: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, wordBreak: 'break-all' },
});

const statusColor = {
  written: 'success',
  unchanged: 'informative',
  'synced-user': 'warning',
  failed: 'danger',
  skipped: 'subtle',
} as const;

/**
 * Bulk enrollment: pick a CSV, preview every row (holder, values, row errors), apply with progress and cancel, then
 * download the per-row results. The file is read in the page; certificates named by path are read by the app.
 */
export function BulkPanel(props: { canApply: boolean }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const client = useClient();
  const [csvText, setCsvText] = useState<string | null>(null);
  const [preview, setPreview] = useState<BulkPreview | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [finished, setFinished] = useState<BulkFinished | null>(null);
  const [error, setError] = useState<ContractError | null>(null);

  useEffect(() => {
    const offProgress = client.on('bulk:progress', (event) => {
      setProgress({ done: event.done, total: event.total });
    });
    const offFinished = client.on('bulk:finished', (event) => {
      setFinished(event);
      setJobId(null);
    });
    return () => {
      offProgress();
      offFinished();
    };
  }, [client]);

  const resultsUrl = useMemo(
    () =>
      finished === null
        ? null
        : URL.createObjectURL(new Blob([finished.resultsCsv], { type: 'text/csv;charset=utf-8' })),
    [finished],
  );
  useEffect(
    () => () => {
      if (resultsUrl !== null) {
        URL.revokeObjectURL(resultsUrl);
      }
    },
    [resultsUrl],
  );

  const call = async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
    setError(null);
    try {
      return await action();
    } catch (failure) {
      setError(toContractError(failure));
      return undefined;
    }
  };

  const choose = async (file: File | undefined) => {
    if (file === undefined) {
      return;
    }
    const text = await file.text();
    setCsvText(text);
    setFinished(null);
    setProgress(null);
    setPreview((await call(() => client.invoke('bulk:preview', { csvText: text }))) ?? null);
  };

  const apply = async () => {
    if (csvText === null) {
      return;
    }
    setFinished(null);
    const started = await call(() => client.invoke('bulk:apply', { csvText }));
    setJobId(started?.jobId ?? null);
  };

  const fileError = preview?.fileError ?? null;
  const count = (status: string) => finished?.results.filter((result) => result.status === status).length ?? 0;
  const rows = finished?.results ?? preview?.rows.map((row) => ({ ...row, status: null })) ?? [];

  return (
    <Card className={styles.card} data-testid="bulk-panel">
      <Text as="h2" size={500} weight="semibold">
        {t('bulk.title')}
      </Text>
      <Text>{t('bulk.intro')}</Text>
      <div className={styles.row}>
        <label>
          {t('bulk.chooseFile')}{' '}
          <input
            type="file"
            accept=".csv,text/csv"
            data-testid="bulk-file"
            onChange={(event) => {
              void choose(event.target.files?.[0]);
            }}
          />
        </label>
        <Button
          appearance="primary"
          disabled={!props.canApply || preview?.fileError !== null || jobId !== null}
          onClick={() => void apply()}
        >
          {t('bulk.apply')}
        </Button>
        <Button
          disabled={jobId === null}
          onClick={() => {
            if (jobId !== null) {
              void call(() => client.invoke('bulk:cancel', { jobId }));
            }
          }}
        >
          {t('bulk.cancel')}
        </Button>
      </div>
      {error !== null && (
        <MessageBar intent="error">
          <MessageBarBody>{t(error.messageKey, error.details ?? {})}</MessageBarBody>
        </MessageBar>
      )}
      {fileError !== null && (
        <MessageBar intent="error" data-testid="bulk-file-error">
          <MessageBarBody>{t(fileError.messageKey, fileError.details ?? {})}</MessageBarBody>
        </MessageBar>
      )}
      {progress !== null && jobId !== null && (
        <div role="status">
          <ProgressBar value={progress.total === 0 ? 0 : progress.done / progress.total} />
          <Text>{t('bulk.progress', progress)}</Text>
        </div>
      )}
      {finished !== null && (
        <MessageBar intent={count('failed') > 0 ? 'warning' : 'success'} layout="multiline" data-testid="bulk-finished">
          <MessageBarBody>
            {t('bulk.finished', {
              written: count('written'),
              unchanged: count('unchanged'),
              failed: count('failed'),
              skipped: count('skipped'),
            })}
            {finished.isCancelled && <Text block>{t('bulk.cancelledNote')}</Text>}
            {resultsUrl !== null && (
              <Text block>
                <a href={resultsUrl} download="resultats-enrolement.csv">
                  {t('bulk.download')}
                </a>
              </Text>
            )}
          </MessageBarBody>
        </MessageBar>
      )}
      {preview !== null && preview.fileError === null && (
        <Text>{t('bulk.preview', { count: preview.rows.length })}</Text>
      )}
      {rows.length > 0 && (
        <Table size="small" aria-label={t('bulk.title')}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t('bulk.line')}</TableHeaderCell>
              <TableHeaderCell>{t('bulk.user')}</TableHeaderCell>
              <TableHeaderCell>{t('bulk.holder')}</TableHeaderCell>
              <TableHeaderCell>{t('bulk.values')}</TableHeaderCell>
              <TableHeaderCell>{t('bulk.result')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((row) => (
              <TableRow key={row.line} data-testid="bulk-row">
                <TableCell>{row.line}</TableCell>
                <TableCell>{row.user}</TableCell>
                <TableCell>{'holder' in row ? (row.holder ?? '—') : '—'}</TableCell>
                <TableCell className={styles.values}>{row.values.join(' · ')}</TableCell>
                <TableCell>
                  {row.status !== null && (
                    <Badge appearance="tint" color={statusColor[row.status]}>
                      {t(`bulk.statuses.${row.status}`)}
                    </Badge>
                  )}{' '}
                  {row.error !== null && t(row.error.messageKey, row.error.details ?? {})}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Card>
  );
}

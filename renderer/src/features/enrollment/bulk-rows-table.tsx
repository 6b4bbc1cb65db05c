import {
  Badge,
  Field,
  makeStyles,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BulkPreviewRow, BulkResultRow } from '../../../../shared/contract/bulk';

const useStyles = makeStyles({
  values: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, wordBreak: 'break-all' },
  wrap: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

type Color = 'success' | 'informative' | 'warning' | 'danger' | 'subtle' | 'brand';

const rowColor: Record<BulkPreviewRow['status'], Color> = {
  ok: 'brand',
  'already-enrolled': 'informative',
  conflict: 'danger',
  'user-not-found': 'danger',
  'ambiguous-user': 'danger',
  'synced-user': 'warning',
  'bad-certificate': 'danger',
  'limit-exceeded': 'danger',
  'not-matchable': 'danger',
  'invalid-row': 'danger',
  'lookup-failed': 'danger',
};

const outcomeColor: Record<BulkResultRow['status'], Color> = {
  written: 'success',
  unchanged: 'informative',
  'synced-user': 'warning',
  failed: 'danger',
  skipped: 'subtle',
  pending: 'subtle',
};

/** One displayed row: a preview row, with its result once the job processed it. */
export type BulkDisplayRow = { preview: BulkPreviewRow | null; result: BulkResultRow | null };

/**
 * The rows of an import with their status (preview) and outcome (apply), filtered by either. Values, current values,
 * conflicts and Active Directory values of synced accounts are shown per row.
 */
export function BulkRowsTable(props: { rows: readonly BulkDisplayRow[] }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [filter, setFilter] = useState('all');
  const keyOf = (row: BulkDisplayRow): string =>
    row.result !== null ? `result:${row.result.status}` : `preview:${row.preview?.status ?? 'ok'}`;
  const options = useMemo(() => {
    const counts = new Map<string, number>();
    for (const row of props.rows) {
      counts.set(keyOf(row), (counts.get(keyOf(row)) ?? 0) + 1);
    }
    return [...counts.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [props.rows]);
  const shown = filter === 'all' ? props.rows : props.rows.filter((row) => keyOf(row) === filter);
  const labelOf = (key: string): string => {
    const [kind, status] = key.split(':');
    return kind === 'result' ? t(`bulk.statuses.${status ?? ''}`) : t(`bulk.rowStatuses.${status ?? ''}`);
  };

  return (
    <div className={styles.wrap}>
      <Field label={t('bulk.filterLabel')}>
        <Select
          value={filter}
          data-testid="bulk-filter"
          onChange={(_event, data) => {
            setFilter(data.value);
          }}
        >
          <option value="all">{t('bulk.filterAll', { count: props.rows.length })}</option>
          {options.map(([key, count]) => (
            <option key={key} value={key}>
              {`${labelOf(key)} (${String(count)})`}
            </option>
          ))}
        </Select>
      </Field>
      {shown.length === 0 ? (
        <Text>{t('bulk.noRows')}</Text>
      ) : (
        <Table size="small" aria-label={t('bulk.title')}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t('bulk.line')}</TableHeaderCell>
              <TableHeaderCell>{t('bulk.user')}</TableHeaderCell>
              <TableHeaderCell>{t('bulk.holder')}</TableHeaderCell>
              <TableHeaderCell>{t('bulk.values')}</TableHeaderCell>
              <TableHeaderCell>{t('bulk.status')}</TableHeaderCell>
              <TableHeaderCell>{t('bulk.details')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {shown.map(({ preview, result }) => {
              const line = preview?.line ?? result?.line ?? 0;
              const error = result?.error ?? preview?.error ?? null;
              const values = result !== null && result.status !== 'pending' ? result.values : (preview?.values ?? []);
              const ad = result?.altSecurityIdentities.length
                ? result.altSecurityIdentities
                : (preview?.altSecurityIdentities ?? []);
              return (
                <TableRow key={`${String(line)}:${preview?.source ?? result?.source ?? ''}`} data-testid="bulk-row">
                  <TableCell>
                    {line}
                    {preview !== null && preview.source !== '' && !preview.source.includes(':')
                      ? ` · ${preview.source}`
                      : ''}
                  </TableCell>
                  <TableCell>
                    {preview?.userPrincipalName ?? result?.userPrincipalName ?? preview?.user ?? result?.user ?? ''}
                    {preview?.isRenewal === true ? ` (${t('bulk.renewal')})` : ''}
                  </TableCell>
                  <TableCell>{preview?.holder ?? '—'}</TableCell>
                  <TableCell className={styles.values}>
                    {values.join(' · ')}
                    {preview !== null && preview.current.length > 0 && (
                      <Text block size={200}>
                        {t('bulk.current')} : {preview.current.join(' · ')} (
                        {t('bulk.valueCount', { count: preview.current.length, max: preview.maxValues })})
                      </Text>
                    )}
                  </TableCell>
                  <TableCell>
                    {preview !== null && (
                      <Badge appearance="tint" color={rowColor[preview.status]} data-status={preview.status}>
                        {t(`bulk.rowStatuses.${preview.status}`)}
                      </Badge>
                    )}{' '}
                    {result !== null && (
                      <Badge appearance="filled" color={outcomeColor[result.status]} data-outcome={result.status}>
                        {t(`bulk.statuses.${result.status}`)}
                      </Badge>
                    )}
                  </TableCell>
                  <TableCell>
                    {preview?.conflicts.map((c) => (
                      <Text block key={`${c.value}:${c.userPrincipalName ?? String(c.line)}`}>
                        {c.line === null
                          ? t('bulk.conflictWith', { value: c.value, user: c.userPrincipalName ?? '' })
                          : t('bulk.conflictWithLine', { value: c.value, line: c.line })}
                      </Text>
                    ))}
                    {ad.length > 0 && <Text block>{t('bulk.adValue', { values: ad.join(' · ') })}</Text>}
                    {error !== null && <Text block>{t(error.messageKey, error.details ?? {})}</Text>}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
    </div>
  );
}

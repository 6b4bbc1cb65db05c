import {
  Button,
  Card,
  makeStyles,
  MessageBarBody,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { Fragment, useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { JournalView } from '../../../../shared/contract/enrollment';
import { useClient } from '../../app/client-context';
import { NoticeBar } from '../../app/notice-bar';

const useStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  // At 200 % zoom the page is ~512 px wide: cells wrap (auto layout); anything still too wide scrolls in its box.
  scroller: { overflowX: 'auto', maxWidth: '100%' },
  table: { tableLayout: 'auto' },
  // Words wrap whole (UPNs get break points after `@`, `.` and `-`); a word wider than its column still breaks.
  // Tight horizontal padding: at 512 px the six columns' longest words must fit side by side.
  cell: {
    overflowWrap: 'break-word',
    whiteSpace: 'normal',
    verticalAlign: 'top',
    paddingLeft: tokens.spacingHorizontalXS,
    paddingRight: tokens.spacingHorizontalXS,
  },
});

type Entry = JournalView['entries'][number];

/** An account name with line-break opportunities after `@`, `.` and `-`, so it wraps between its parts. */
function breakable(text: string): ReactNode {
  return text.split(/(?<=[@.-])/).map((part, i) => (
    <Fragment key={i}>
      {i > 0 && <wbr />}
      {part}
    </Fragment>
  ));
}

/** Translated label of a journal kind; a kind newer than this renderer is shown as its code. */
function kindLabel(t: TFunction, kind: string): string {
  return t(`enrollment.journalKind.${kind}`, { defaultValue: kind });
}

/** The result cell: outcome status, value counts and the translated error, as one sentence fragment list. */
function resultText(t: TFunction, entry: Entry): string {
  const parts: string[] = [];
  if (entry.status !== null) {
    parts.push(t(`enrollment.journalStatus.${entry.status}`, { defaultValue: entry.status }));
  }
  if (entry.added > 0) {
    parts.push(t('enrollment.journalAdded', { count: entry.added }));
  }
  if (entry.removed > 0) {
    parts.push(t('enrollment.journalRemoved', { count: entry.removed }));
  }
  if (entry.error !== null) {
    // The journal keeps an error's code, not always the values its message names: those read « … », not {{x}}.
    parts.push(
      t(`errors.${entry.error.code}`, {
        ...entry.error.details,
        defaultValue: entry.error.code,
        missingInterpolationHandler: () => '…',
      }),
    );
  }
  return parts.length === 0 ? '—' : parts.join(' · ');
}

/** The tamper-evident journal: verification status first, then the latest entries. */
export function JournalPanel() {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const client = useClient();
  const [journal, setJournal] = useState<JournalView | null>(null);
  const [reads, setReads] = useState(0);

  useEffect(() => {
    let isCurrent = true;
    client.invoke('journal:get', { limit: 50 }).then(
      (view) => {
        if (isCurrent) {
          setJournal(view);
        }
      },
      () => undefined,
    );
    return () => {
      isCurrent = false;
    };
  }, [client, reads]);

  return (
    <Card className={styles.card} data-testid="journal-panel">
      <Text as="h2" size={500} weight="semibold">
        {t('enrollment.journalTitle')}
      </Text>
      {journal !== null && (
        <NoticeBar intent={journal.verification.isIntact ? 'success' : 'error'} data-testid="journal-verification">
          <MessageBarBody>
            {journal.verification.isIntact
              ? t('enrollment.journalIntact', { count: journal.verification.entries })
              : t('enrollment.journalTampered', { count: journal.verification.problems.length })}
          </MessageBarBody>
        </NoticeBar>
      )}
      {journal?.entries.length === 0 && <Text>{t('enrollment.journalEmpty')}</Text>}
      {journal !== null && journal.entries.length > 0 && (
        <div className={styles.scroller}>
          <Table size="small" aria-label={t('enrollment.journalTitle')} className={styles.table}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell className={styles.cell}>{t('enrollment.journalColumns.seq')}</TableHeaderCell>
                <TableHeaderCell className={styles.cell}>{t('enrollment.journalColumns.date')}</TableHeaderCell>
                <TableHeaderCell className={styles.cell}>{t('enrollment.journalColumns.action')}</TableHeaderCell>
                <TableHeaderCell className={styles.cell}>{t('enrollment.journalColumns.agent')}</TableHeaderCell>
                <TableHeaderCell className={styles.cell}>{t('enrollment.journalColumns.account')}</TableHeaderCell>
                <TableHeaderCell className={styles.cell}>{t('enrollment.journalColumns.result')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {journal.entries.map((entry) => (
                <TableRow key={entry.seq} data-testid="journal-entry" data-kind={entry.kind}>
                  <TableCell className={styles.cell}>{entry.seq}</TableCell>
                  <TableCell className={styles.cell}>
                    {new Date(entry.at).toLocaleString(i18n.language === 'fr' ? 'fr-FR' : 'en-GB')}
                  </TableCell>
                  <TableCell className={styles.cell}>{kindLabel(t, entry.kind)}</TableCell>
                  <TableCell className={styles.cell}>{breakable(entry.agent)}</TableCell>
                  <TableCell className={styles.cell}>
                    {entry.userPrincipalName === null ? '—' : breakable(entry.userPrincipalName)}
                  </TableCell>
                  <TableCell className={styles.cell}>{resultText(t, entry)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      <Button
        size="small"
        onClick={() => {
          setReads((count) => count + 1);
        }}
      >
        {t('tenant.refresh')}
      </Button>
    </Card>
  );
}

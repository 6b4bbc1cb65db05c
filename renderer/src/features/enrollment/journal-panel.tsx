import {
  Button,
  Card,
  makeStyles,
  MessageBarBody,
  Table,
  TableBody,
  TableCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JournalView } from '../../../../shared/contract/enrollment';
import { useClient } from '../../app/client-context';
import { NoticeBar } from '../../app/notice-bar';

const useStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

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
        <Table size="small" aria-label={t('enrollment.journalTitle')}>
          <TableBody>
            {journal.entries.map((entry) => (
              <TableRow key={entry.seq}>
                <TableCell>{entry.seq}</TableCell>
                <TableCell>{new Date(entry.at).toLocaleString(i18n.language === 'fr' ? 'fr-FR' : 'en-GB')}</TableCell>
                <TableCell>{entry.kind}</TableCell>
                <TableCell>{entry.userPrincipalName ?? '—'}</TableCell>
                <TableCell>{entry.summary}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
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

import { Badge, Card, CardHeader, makeStyles, MessageBarBody, Text, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { CardReport } from '../../../../shared/contract/cards';
import { FactList } from '../../app/fact-list';
import { holderName } from './state/desk-state';
import { MappingTable } from './mapping-table';
import { NoticeBar } from '../../app/notice-bar';

const useStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  title: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  checks: {
    listStyleType: 'none',
    paddingLeft: 0,
    margin: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
  },
});

function formatDate(iso: string, language: string): string {
  return new Date(iso).toLocaleDateString(language === 'fr' ? 'fr-FR' : 'en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  });
}

/** Everything the agent needs about the card in hand: who, which card, whether it is usable, and the values. */
export function CardPanel(props: { report: CardReport }) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const report = props.report;
  const validity =
    report.validity.status === 'valid'
      ? t('desk.validUntil', {
          date: formatDate(report.validity.notAfter, i18n.language),
          count: report.validity.daysLeft,
        })
      : report.validity.status === 'expired'
        ? t('desk.expiredOn', { date: formatDate(report.validity.notAfter, i18n.language) })
        : t('desk.notYetValid', { date: formatDate(report.validity.notBefore, i18n.language) });
  const facts: [string, string][] = [
    [t('desk.profession'), report.profession ?? '—'],
    [
      t('desk.identifier'),
      report.identifier === null
        ? '—'
        : report.identifier.structureId !== undefined && report.identifier.staffNumber !== undefined
          ? // A structure's staff card (CPE/CPA): « 0B0057881/CPET0002 » is a FINESS and an internal number, not one id.
            t('desk.identifierStaff', {
              structureId: report.identifier.structureId,
              staffNumber: report.identifier.staffNumber,
            })
          : `${t(`desk.identifierTypes.${report.identifier.type}`)} ${report.identifier.value}`,
    ],
    [t('desk.cardType'), `${report.cardType ?? '—'} · ${report.generation.toUpperCase()}`],
    [t('desk.cardNumber'), report.cardNumber ?? '—'],
    [t('desk.upn'), report.upn ?? '—'],
    [t('desk.validity'), validity],
    [t('desk.chain'), t(`desk.chainStatus.${report.chain}`)],
    [t('desk.revocation'), t(`desk.revocationStatus.${report.revocation}`)],
    [t('desk.issuer'), report.issuer],
  ];
  return (
    <Card className={styles.card} data-testid="card-panel" aria-labelledby="card-holder">
      <CardHeader
        header={
          <div className={styles.title}>
            <Text as="h2" id="card-holder" size={600} weight="semibold" data-testid="card-holder">
              {holderName(report)}
            </Text>
            {report.isTestCard && (
              <Badge
                appearance="filled"
                color="important"
                title={t('desk.testCardExplanation')}
                data-testid="test-badge"
              >
                {t('desk.testCard')}
              </Badge>
            )}
          </div>
        }
        description={<Text>{t(`desk.kinds.${report.kind}`)}</Text>}
      />
      {report.revocation === 'revoked' && (
        <NoticeBar intent="error">
          <MessageBarBody>{t('desk.revocationStatus.revoked')}</MessageBarBody>
        </NoticeBar>
      )}
      <FactList facts={facts} />
      {report.checks !== undefined && report.checks.length > 0 && (
        <section aria-labelledby="card-checks-title" data-testid="card-checks">
          <Text as="h3" id="card-checks-title" size={400} weight="semibold">
            {t('desk.checksTitle')}
          </Text>
          <ul className={styles.checks}>
            {report.checks.map((check) => (
              <li key={check.id} data-testid={`check-${check.id}`} data-passed={check.passed}>
                <Badge appearance="tint" color={check.passed ? 'success' : 'danger'}>
                  {check.passed ? t('desk.checkPassed') : t('desk.checkFailed')}
                </Badge>{' '}
                <Text weight="semibold">{t(`desk.checks.${check.id}.label`)}</Text>
                <Text block>
                  {t(`desk.checks.${check.id}.${check.variant ?? (check.passed ? 'pass' : 'fail')}`, check.values)}
                </Text>
              </li>
            ))}
          </ul>
        </section>
      )}
      <Text as="h3" size={400} weight="semibold">
        {t('desk.mappings')}
      </Text>
      <Text as="p">{t('desk.mappingsNote')}</Text>
      <MappingTable mappings={report.mappings} />
      <Text size={200}>{t('desk.readStats', { apdus: report.apdus, ms: Math.round(report.durationMs) })}</Text>
    </Card>
  );
}

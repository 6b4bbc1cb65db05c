import {
  Badge,
  Button,
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { CrlView, TrustedCaView } from '../../../../shared/contract/cards';

const useStyles = makeStyles({
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, wordBreak: 'break-all' },
  hidden: { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clipPath: 'inset(50%)' },
});

/** A date in the UI language, day precision. */
export function formatDay(iso: string | null, language: string): string {
  if (iso === null) {
    return '—';
  }
  return new Date(iso).toLocaleDateString(language === 'fr' ? 'fr-FR' : 'en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });
}

const originColor = { known: 'success', manual: 'warning', unapproved: 'danger' } as const;

/** « DÉMO » on a row of demo mode's TEST PKI, with why it cannot be removed for screen readers and on hover. */
function DemoBadge() {
  const { t } = useTranslation();
  return (
    <Badge
      appearance="filled"
      color="informative"
      data-testid="trust-demo-badge"
      title={t('settings.trust.demoNote')}
      aria-label={`${t('settings.trust.demoBadge')} — ${t('settings.trust.demoNote')}`}
    >
      {t('settings.trust.demoBadge')}
    </Badge>
  );
}

/** The trusted CAs: name, SHA-256, validity, and whether the app knows them. */
export function CaTable(props: { cas: readonly TrustedCaView[]; busy: boolean; onRemove: (sha256: string) => void }) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  if (props.cas.length === 0) {
    return <Text as="p">{t('settings.trust.noCa')}</Text>;
  }
  return (
    <Table aria-label={t('settings.trust.casTitle')} size="small" data-testid="trust-ca-table">
      <TableHeader>
        <TableRow>
          <TableHeaderCell>{t('settings.trust.caName')}</TableHeaderCell>
          <TableHeaderCell>SHA-256</TableHeaderCell>
          <TableHeaderCell>{t('settings.trust.validity')}</TableHeaderCell>
          <TableHeaderCell>{t('settings.trust.status')}</TableHeaderCell>
          <TableHeaderCell>
            <span className={styles.hidden}>{t('settings.trust.remove')}</span>
          </TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {props.cas.map((ca) => (
          <TableRow key={ca.sha256} data-testid="trust-ca-row">
            <TableCell>
              <Text weight="semibold">{ca.name}</Text>
              {ca.environment === 'test' && <Text block>{t('settings.trust.testEnvironment')}</Text>}
              {ca.crlUrl !== null && (
                <Text block size={200} data-testid="trust-ca-crl-url">
                  {t('settings.trust.crlUrl', { url: ca.crlUrl })}
                  {ca.crlUrlVerified === false && ` — ${t('desk.crlUrlUnverified')}`}
                </Text>
              )}
            </TableCell>
            <TableCell>
              <code className={styles.mono}>{ca.sha256}</code>
            </TableCell>
            <TableCell>
              {formatDay(ca.notBefore, i18n.language)} → {formatDay(ca.notAfter, i18n.language)}
              {ca.validity !== 'valid' && <Text block>{t(`settings.trust.caValidity.${ca.validity}`)}</Text>}
            </TableCell>
            <TableCell>
              {ca.isDemo === true ? (
                <DemoBadge />
              ) : (
                <Badge appearance="tint" color={originColor[ca.origin]} data-testid="trust-ca-origin">
                  {t(`settings.trust.origin.${ca.origin}`)}
                </Badge>
              )}
            </TableCell>
            <TableCell>
              {ca.isDemo !== true && (
                <Button
                  size="small"
                  disabled={props.busy}
                  aria-label={t('settings.trust.removeLabel', { name: ca.name })}
                  onClick={() => {
                    props.onRemove(ca.sha256);
                  }}
                >
                  {t('settings.trust.remove')}
                </Button>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** The CRLs kept for offline use, with a stale flag once their next update has passed. */
export function CrlTable(props: { crls: readonly CrlView[] }) {
  const { t, i18n } = useTranslation();
  if (props.crls.length === 0) {
    return <Text as="p">{t('settings.trust.noCrl')}</Text>;
  }
  return (
    <Table aria-label={t('settings.trust.crlsTitle')} size="small" data-testid="trust-crl-table">
      <TableHeader>
        <TableRow>
          <TableHeaderCell>{t('settings.trust.crlIssuer')}</TableHeaderCell>
          <TableHeaderCell>{t('settings.trust.thisUpdate')}</TableHeaderCell>
          <TableHeaderCell>{t('settings.trust.nextUpdate')}</TableHeaderCell>
          <TableHeaderCell>{t('settings.trust.status')}</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {props.crls.map((crl) => (
          <TableRow key={crl.id} data-testid="trust-crl-row">
            <TableCell>{crl.issuerName}</TableCell>
            <TableCell>{formatDay(crl.thisUpdate, i18n.language)}</TableCell>
            <TableCell>{formatDay(crl.nextUpdate, i18n.language)}</TableCell>
            <TableCell>
              <Badge appearance="tint" color={crl.isStale ? 'danger' : 'success'}>
                {crl.isStale ? t('settings.trust.crlStale') : t('settings.trust.crlFresh', { count: crl.revokedCount })}
              </Badge>
              {crl.isDemo === true && <DemoBadge />}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

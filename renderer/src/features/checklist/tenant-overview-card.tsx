import {
  Button,
  Card,
  CardHeader,
  makeStyles,
  MessageBarBody,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TenantOverview } from '../../../../shared/contract/account';
import { toContractError } from '../../../../shared/contract/client';
import type { ContractError } from '../../../../shared/contract/envelope';
import { useClient } from '../../app/client-context';
import { FactList } from '../../app/fact-list';
import { NoticeBar } from '../../app/notice-bar';

const useStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalL, maxWidth: '720px' },
});

/** What the signed-in account can see of its tenant: the first read against Graph. Keyed by account by its parent. */
export function TenantOverviewCard(props: { accountId: string | null }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const client = useClient();
  // null while a read is in flight; `reads` counts refresh clicks to trigger a new read.
  const [result, setResult] = useState<{ overview: TenantOverview | null; error: ContractError | null } | null>(null);
  const [reads, setReads] = useState(0);

  useEffect(() => {
    if (props.accountId === null) {
      return;
    }
    let isCurrent = true;
    client.invoke('tenant:get-overview').then(
      (overview) => {
        if (isCurrent) {
          setResult({ overview, error: null });
        }
      },
      (failure: unknown) => {
        if (isCurrent) {
          setResult({
            overview: null,
            error: toContractError(failure),
          });
        }
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [client, props.accountId, reads]);

  if (props.accountId === null) {
    return <Text as="p">{t('tenant.notSignedIn')}</Text>;
  }
  const unknown = t('tenant.unknown');
  const isLoading = result === null;
  const overview = result?.overview ?? null;
  const error = result?.error ?? null;
  return (
    <Card className={styles.card} data-testid="tenant-overview">
      <CardHeader
        header={
          <Text as="h2" size={500} weight="semibold">
            {overview?.displayName ?? t('tenant.overviewTitle')}
          </Text>
        }
        action={
          <Button
            size="small"
            disabled={isLoading}
            onClick={() => {
              setResult(null);
              setReads((count) => count + 1);
            }}
          >
            {t('tenant.refresh')}
          </Button>
        }
      />
      {isLoading && <Spinner size="small" label={t('app.loading')} />}
      {error !== null && (
        <NoticeBar intent="error">
          <MessageBarBody>{t(error.messageKey, error.details ?? {})}</MessageBarBody>
        </NoticeBar>
      )}
      {overview !== null && (
        <FactList
          facts={[
            [t('tenant.domains'), overview.domains.join(', ')],
            [t('tenant.users'), overview.userCount === null ? unknown : String(overview.userCount)],
            [t('tenant.x509'), t(`tenant.x509States.${overview.x509State}`)],
            [
              t('tenant.caPolicies'),
              overview.conditionalAccessPolicyCount === null ? unknown : String(overview.conditionalAccessPolicyCount),
            ],
          ]}
        />
      )}
    </Card>
  );
}

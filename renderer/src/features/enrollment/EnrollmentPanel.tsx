import {
  Button,
  Card,
  Checkbox,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountState } from '../../../../shared/contract/account';
import type { CertificateSource } from '../../../../shared/contract/enrollment';
import { CandidateList } from './CandidateList';
import { PlanPreview } from './PlanPreview';
import { useEnrollment } from './use-enrollment';

const useStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
  grow: { flexGrow: 1, minWidth: '220px' },
});

const outcomeIntent = {
  written: 'success',
  unchanged: 'info',
  queued: 'warning',
  'synced-user': 'warning',
  removed: 'success',
} as const;

/**
 * Map the card in hand to the practitioner's Entra account: search, choose, preview the exact Graph requests, write.
 * Needs an account signed in with write access; read-only sessions see why and how to get it.
 */
export function EnrollmentPanel(props: { source: CertificateSource; account: AccountState | null }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const { flow, search, select, setRenewal, preview, apply, remove } = useEnrollment(props.source);
  const [query, setQuery] = useState('');
  const active = props.account?.active ?? null;

  if (active === null || props.account?.access !== 'fix') {
    return (
      <Card className={styles.card} data-testid="enrollment-panel">
        <Text as="h2" size={500} weight="semibold">
          {t('enrollment.title')}
        </Text>
        <Text>{active === null ? t('enrollment.signInFirst') : t('enrollment.needsFix')}</Text>
      </Card>
    );
  }

  const canApply = flow.plan?.refusal === null && flow.plan.writePath === 'graph' && flow.busy === null;
  const selected = flow.candidates?.candidates.find((candidate) => candidate.id === flow.selectedUserId) ?? null;
  return (
    <Card className={styles.card} data-testid="enrollment-panel">
      <Text as="h2" size={500} weight="semibold">
        {t('enrollment.title')}
      </Text>
      <form
        className={styles.row}
        onSubmit={(event) => {
          event.preventDefault();
          void search(query);
        }}
      >
        <Input
          className={styles.grow}
          aria-label={t('enrollment.searchPlaceholder')}
          placeholder={t('enrollment.searchPlaceholder')}
          value={query}
          onChange={(_event, data) => {
            setQuery(data.value);
          }}
        />
        <Button type="submit" appearance="primary" disabled={flow.busy !== null}>
          {t('enrollment.search')}
        </Button>
      </form>
      {flow.busy === 'search' && <Spinner size="small" label={t('enrollment.searching')} />}
      {flow.error !== null && (
        <MessageBar intent="error" data-testid="enrollment-error">
          <MessageBarBody>{t(flow.error.messageKey, flow.error.details ?? {})}</MessageBarBody>
        </MessageBar>
      )}
      {flow.candidates !== null && flow.candidates.conflicts.length > 0 && (
        <MessageBar intent="warning" layout="multiline" data-testid="enrollment-conflicts">
          <MessageBarBody>
            <MessageBarTitle>{t('enrollment.conflicts')}</MessageBarTitle>
            {flow.candidates.conflicts.map((conflict) => (
              <Text block key={`${conflict.userId}-${conflict.value}`}>
                {t('enrollment.conflictLine', { user: conflict.userPrincipalName, value: conflict.value })}
              </Text>
            ))}
          </MessageBarBody>
        </MessageBar>
      )}
      {flow.candidates !== null && flow.candidates.candidates.length === 0 && (
        <Text>{t('enrollment.noCandidate')}</Text>
      )}
      {flow.candidates !== null && flow.candidates.candidates.length > 0 && (
        <>
          <Text as="h3" size={400} weight="semibold">
            {t('enrollment.candidates')}
          </Text>
          <CandidateList candidates={flow.candidates.candidates} selected={flow.selectedUserId} onSelect={select} />
          <Checkbox
            checked={flow.isRenewal}
            label={t('enrollment.renewal')}
            onChange={(_event, data) => {
              setRenewal(data.checked === true);
            }}
          />
          <div className={styles.row}>
            <Button disabled={selected === null || flow.busy !== null} onClick={() => void preview()}>
              {t('enrollment.preview')}
            </Button>
            <Button appearance="primary" disabled={!canApply} onClick={() => void apply()}>
              {t('enrollment.apply')}
            </Button>
            <Button disabled={selected === null || flow.busy !== null} onClick={() => void remove()}>
              {t('enrollment.remove')}
            </Button>
          </div>
        </>
      )}
      {flow.busy === 'apply' && <Spinner size="small" label={t('enrollment.applying')} />}
      {flow.plan !== null && <PlanPreview plan={flow.plan} />}
      {flow.outcome !== null && (
        <MessageBar intent={outcomeIntent[flow.outcome.status]} layout="multiline" data-testid="enrollment-outcome">
          <MessageBarBody>
            {t(`enrollment.outcome.${flow.outcome.status}`, { user: flow.outcome.userPrincipalName })}
            {flow.outcome.isGroupMember && <Text block>{t('enrollment.groupMember')}</Text>}
          </MessageBarBody>
        </MessageBar>
      )}
    </Card>
  );
}

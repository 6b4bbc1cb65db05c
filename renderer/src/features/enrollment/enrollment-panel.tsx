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
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountState } from '../../../../shared/contract/account';
import type { CertificateSource } from '../../../../shared/contract/enrollment';
import { CandidateList } from './candidate-list';
import { useFocusRescue } from './focus-rescue';
import { OfflineQueueForm } from './offline-queue-form';
import { PlanPreview } from './plan-preview';
import { ReasonPicker, RemovalPreview } from './removal-preview';
import { useEnrollment } from './use-enrollment';
import { NoticeBar } from '../../app/notice-bar';

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
  const enrollment = useEnrollment(props.source);
  const { flow, search, select, setRenewal, preview, apply } = enrollment;
  const [query, setQuery] = useState('');
  const active = props.account?.active ?? null;
  // Keyboard users land on what their action produced when the button they pressed is gone or disabled.
  const candidatesRef = useRef<HTMLHeadingElement>(null);
  const errorRef = useRef<HTMLDivElement>(null);
  const removalRef = useRef<HTMLDivElement>(null);
  const planRef = useRef<HTMLDivElement>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);
  useFocusRescue(candidatesRef, flow.candidates);
  useFocusRescue(errorRef, flow.error);
  useFocusRescue(removalRef, flow.removal);
  useFocusRescue(planRef, flow.plan);
  useFocusRescue(outcomeRef, flow.outcome);

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

  const isBusy = flow.busy !== null;
  // While busy, buttons stay focusable (aria-disabled): a disabled button would drop keyboard focus to <body>.
  const canApply = flow.plan?.refusal === null && flow.plan.writePath === 'graph';
  const selected = flow.candidates?.candidates.find((candidate) => candidate.id === flow.selectedUserId) ?? null;
  // The account being written is no conflict with itself: only other holders are.
  const conflicts = (flow.candidates?.conflicts ?? []).filter((conflict) => conflict.userId !== flow.selectedUserId);
  const unexpected = flow.outcome?.unexpected;
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
        <Button type="submit" appearance="primary" disabledFocusable={isBusy}>
          {t('enrollment.search')}
        </Button>
      </form>
      {flow.busy === 'search' && <Spinner size="small" label={t('enrollment.searching')} />}
      {flow.error !== null && (
        <div ref={errorRef} tabIndex={-1}>
          <NoticeBar intent="error" data-testid="enrollment-error">
            <MessageBarBody>{t(flow.error.messageKey, flow.error.details ?? {})}</MessageBarBody>
          </NoticeBar>
        </div>
      )}
      {flow.isOffline && (
        <OfflineQueueForm
          candidates={flow.candidates?.candidates ?? []}
          selectedUpn={selected?.userPrincipalName ?? null}
          isRenewal={flow.isRenewal}
          busy={flow.busy !== null}
          onRenewal={setRenewal}
          onQueue={(upn) => void enrollment.queueOffline(upn)}
        />
      )}
      {conflicts.length > 0 && (
        <MessageBar intent="warning" layout="multiline" data-testid="enrollment-conflicts">
          <MessageBarBody>
            <MessageBarTitle>{t('enrollment.conflicts')}</MessageBarTitle>
            {conflicts.map((conflict) => (
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
          <Text as="h3" size={400} weight="semibold" ref={candidatesRef} tabIndex={-1}>
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
            <Button disabled={selected === null} disabledFocusable={isBusy} onClick={() => void preview()}>
              {t('enrollment.preview')}
            </Button>
            <Button appearance="primary" disabled={!canApply} disabledFocusable={isBusy} onClick={() => void apply()}>
              {t('enrollment.apply')}
            </Button>
          </div>
          <ReasonPicker value={flow.reason} onChange={enrollment.setReason} />
          <div className={styles.row}>
            <Button
              disabled={selected === null}
              disabledFocusable={isBusy}
              onClick={() => void enrollment.previewRemoval()}
            >
              {t('enrollment.remove')}
            </Button>
            {flow.isOffline && selected !== null && (
              <Button disabledFocusable={isBusy} onClick={() => void enrollment.remove()}>
                {t('enrollment.offline.queueRemoval')}
              </Button>
            )}
          </div>
        </>
      )}
      {flow.removal !== null && (
        <div ref={removalRef} tabIndex={-1}>
          <RemovalPreview
            plan={flow.removal}
            busy={isBusy}
            onConfirm={() => void enrollment.remove()}
            onCancel={enrollment.cancelRemoval}
          />
        </div>
      )}
      {flow.busy === 'apply' && <Spinner size="small" label={t('enrollment.applying')} />}
      {flow.plan !== null && (
        <div ref={planRef} tabIndex={-1} data-testid="enrollment-plan-focus">
          <PlanPreview
            plan={flow.plan}
            adNotedSeq={flow.adNotedSeq}
            busy={isBusy}
            onNoteAd={() => void enrollment.noteAd()}
          />
        </div>
      )}
      {flow.outcome !== null && (
        <div ref={outcomeRef} tabIndex={-1} data-testid="enrollment-outcome-focus">
          <NoticeBar intent={outcomeIntent[flow.outcome.status]} layout="multiline" data-testid="enrollment-outcome">
            <MessageBarBody>
              {t(`enrollment.outcome.${flow.outcome.status}`, { user: flow.outcome.userPrincipalName })}
              {flow.outcome.isGroupMember && <Text block>{t('enrollment.groupMember')}</Text>}
              {unexpected !== undefined && (unexpected.appeared.length > 0 || unexpected.disappeared.length > 0) && (
                <Text block data-testid="enrollment-unexpected">
                  {t('enrollment.unexpected.title')}
                  {unexpected.appeared.length > 0 &&
                    ` — ${t('enrollment.unexpected.appeared', { values: unexpected.appeared.join(', ') })}`}
                  {unexpected.disappeared.length > 0 &&
                    ` — ${t('enrollment.unexpected.disappeared', { values: unexpected.disappeared.join(', ') })}`}
                </Text>
              )}
            </MessageBarBody>
          </NoticeBar>
        </div>
      )}
    </Card>
  );
}

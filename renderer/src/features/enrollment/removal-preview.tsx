import { Button, makeStyles, MessageBarBody, Radio, RadioGroup, Text, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { RemovalPlanView, RemovalReason } from '../../../../shared/contract/enrollment';
import { NoticeBar } from '../../app/notice-bar';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL, wordBreak: 'break-all' },
});

const REASONS: readonly RemovalReason[] = ['lost', 'stolen', 'replaced', 'other'];

/** Why the card's values are removed (journaled with the removal). */
export function ReasonPicker(props: { value: RemovalReason; onChange: (reason: RemovalReason) => void }) {
  const { t } = useTranslation();
  return (
    <RadioGroup
      layout="horizontal"
      aria-label={t('enrollment.removal.reason')}
      value={props.value}
      onChange={(_event, data) => {
        const reason = REASONS.find((r) => r === data.value);
        if (reason !== undefined) {
          props.onChange(reason);
        }
      }}
    >
      {REASONS.map((reason) => (
        <Radio key={reason} value={reason} label={t(`enrollment.removal.reasons.${reason}`)} />
      ))}
    </RadioGroup>
  );
}

/** The removal before it is made: values removed, values kept and why, then confirm or cancel. */
export function RemovalPreview(props: {
  plan: RemovalPlanView;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const { plan } = props;
  const nothing = plan.remove.length === 0;
  return (
    <section className={styles.root} data-testid="removal-preview">
      <Text weight="semibold">
        {t('enrollment.removal.toRemove')} — {plan.userPrincipalName}
      </Text>
      <ul className={styles.list} data-testid="removal-values">
        {nothing ? <li>{t('enrollment.none')}</li> : plan.remove.map((value) => <li key={value}>{value}</li>)}
      </ul>
      {plan.kept.length > 0 && (
        <>
          <Text weight="semibold">{t('enrollment.removal.kept')}</Text>
          <ul className={styles.list} data-testid="removal-kept">
            {plan.kept.map((kept) => (
              <li key={kept.value}>
                {kept.value} — {t(`enrollment.removal.keptReasons.${kept.reason}`)}
              </li>
            ))}
          </ul>
        </>
      )}
      {plan.oldCardStillMatches && (
        <NoticeBar intent="warning">
          <MessageBarBody>{t('enrollment.removal.oldCardStillMatches')}</MessageBarBody>
        </NoticeBar>
      )}
      {plan.leavesNoMapping && (
        <NoticeBar intent="warning">
          <MessageBarBody>{t('enrollment.removal.leavesNoMapping')}</MessageBarBody>
        </NoticeBar>
      )}
      {plan.writePath === 'entra-connect' && (
        <NoticeBar intent="info" layout="multiline">
          <MessageBarBody>
            {t('enrollment.removal.syncedExplanation')}
            <Text block font="monospace">
              {plan.altSecurityIdentities.join('\n')}
            </Text>
            {plan.adPowershell !== null && plan.adPowershell !== undefined && (
              <>
                <Text block weight="semibold">
                  {t('enrollment.ad.powershell')}
                </Text>
                <Text block font="monospace" data-testid="removal-ad-powershell">
                  {plan.adPowershell}
                </Text>
              </>
            )}
          </MessageBarBody>
        </NoticeBar>
      )}
      {nothing && <Text>{t('enrollment.removal.nothing')}</Text>}
      <div className={styles.row}>
        <Button
          appearance="primary"
          disabled={nothing || plan.writePath !== 'graph'}
          disabledFocusable={props.busy}
          onClick={props.onConfirm}
        >
          {t('enrollment.removal.confirm')}
        </Button>
        <Button disabledFocusable={props.busy} onClick={props.onCancel}>
          {t('enrollment.removal.cancel')}
        </Button>
      </div>
    </section>
  );
}

import { Button, Link, makeStyles, MessageBarActions, MessageBarBody, Text, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { EnrollmentPlan } from '../../../../shared/contract/enrollment';
import { NoticeBar } from '../../app/notice-bar';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
  code: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    backgroundColor: tokens.colorNeutralBackground3,
    padding: tokens.spacingHorizontalS,
    borderRadius: tokens.borderRadiusMedium,
    margin: 0,
  },
});

const severityIntent = { info: 'info', warning: 'warning', blocking: 'error' } as const;

/** The exact change before it is made: values added and removed, explanations, and the Graph requests verbatim. */
export function PlanPreview(props: {
  plan: EnrollmentPlan;
  adNotedSeq?: number | null;
  busy?: boolean;
  onNoteAd?: () => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const { plan } = props;
  return (
    <section className={styles.root} aria-labelledby="plan-title" data-testid="plan-preview">
      <Text as="h3" id="plan-title" size={400} weight="semibold">
        {plan.writePath === 'entra-connect' ? t('enrollment.syncedTitle') : t('enrollment.planTitle')}
      </Text>
      {plan.refusal !== null && (
        <NoticeBar intent="error" data-testid="plan-refusal">
          <MessageBarBody>{t(plan.refusal.messageKey, plan.refusal.details ?? {})}</MessageBarBody>
        </NoticeBar>
      )}
      {(plan.otherCardValues ?? []).length > 0 && (
        <NoticeBar intent="warning" data-testid="plan-other-card" layout="multiline">
          <MessageBarBody>
            {t('enrollment.otherCardValues', { count: plan.otherCardValues?.length ?? 0 })}
            <pre className={styles.code}>{plan.otherCardValues?.join('\n')}</pre>
          </MessageBarBody>
        </NoticeBar>
      )}
      {plan.explanations.map((explanation) => (
        <NoticeBar key={`${explanation.code}-${explanation.form ?? ''}`} intent={severityIntent[explanation.severity]}>
          <MessageBarBody>
            {explanation.form === null ? '' : `${explanation.form} : `}
            {t(`enrollment.explanations.${explanation.code}`, { defaultValue: explanation.code })}
          </MessageBarBody>
          {explanation.checkId !== null && explanation.severity !== 'info' && (
            <MessageBarActions>
              <Link href={`#/checklist?item=${encodeURIComponent(explanation.checkId)}`}>
                {t('enrollment.openChecklist')}
              </Link>
            </MessageBarActions>
          )}
        </NoticeBar>
      ))}
      {plan.writePath === 'entra-connect' ? (
        <>
          <Text>{t('enrollment.syncedExplanation')}</Text>
          <pre className={styles.code} data-testid="alt-security-identities">
            {plan.altSecurityIdentities.join('\n')}
          </pre>
          {plan.removed.length > 0 && (
            <>
              <Text>{t('enrollment.ad.toRemove')}</Text>
              <pre className={styles.code} data-testid="alt-security-identities-removed">
                {plan.removed.join('\n')}
              </pre>
            </>
          )}
          {plan.adInstruction !== null && plan.adInstruction !== undefined && (
            <>
              <Text weight="semibold">{t('enrollment.ad.powershell')}</Text>
              <pre className={styles.code} data-testid="ad-powershell">
                {plan.adInstruction.powershell}
              </pre>
              <Text weight="semibold">{t('enrollment.ad.entraConnect')}</Text>
              <pre className={styles.code} data-testid="ad-entra-connect">
                {[
                  plan.adInstruction.metaverseAttribute,
                  plan.adInstruction.inboundRule,
                  plan.adInstruction.outboundRule,
                  plan.adInstruction.outboundExpression,
                ].join('\n')}
              </pre>
              {props.onNoteAd !== undefined &&
                (props.adNotedSeq === null || props.adNotedSeq === undefined ? (
                  <Button disabled={props.busy === true} onClick={props.onNoteAd}>
                    {t('enrollment.ad.noted')}
                  </Button>
                ) : (
                  <Text data-testid="ad-noted">{t('enrollment.ad.notedDone')}</Text>
                ))}
            </>
          )}
        </>
      ) : (
        <>
          <Text weight="semibold">{t('enrollment.toAdd')}</Text>
          <ul className={styles.list} data-testid="plan-added">
            {plan.added.length === 0 ? (
              <li>{t('enrollment.none')}</li>
            ) : (
              plan.added.map((value) => <li key={value}>{value}</li>)
            )}
          </ul>
          {plan.removed.length > 0 && (
            <>
              <Text weight="semibold">{t('enrollment.toRemove')}</Text>
              <ul className={styles.list}>
                {plan.removed.map((value) => (
                  <li key={value}>{value}</li>
                ))}
              </ul>
            </>
          )}
          <Text weight="semibold">{t('enrollment.requests')}</Text>
          <pre className={styles.code} data-testid="plan-requests">
            {plan.requests
              .map(
                (request) =>
                  `${request.method} ${request.url}${request.body === undefined ? '' : `\n${JSON.stringify(request.body, null, 2)}`}`,
              )
              .join('\n\n')}
          </pre>
        </>
      )}
    </section>
  );
}

import { Badge, makeStyles, Radio, RadioGroup, Text, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { Candidate } from '../../../../shared/contract/enrollment';

const useStyles = makeStyles({
  candidate: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
    paddingBottom: tokens.spacingVerticalS,
  },
  badges: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS },
  values: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, wordBreak: 'break-all' },
});

const confidenceColor = { high: 'success', medium: 'warning', low: 'informative' } as const;

/** Ranked accounts for the card holder, with why each one matches and what it already holds. */
export function CandidateList(props: {
  candidates: readonly Candidate[];
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  return (
    <RadioGroup
      aria-label={t('enrollment.candidates')}
      value={props.selected ?? ''}
      onChange={(_event, data) => {
        props.onSelect(data.value);
      }}
    >
      {props.candidates.map((candidate) => (
        <Radio
          key={candidate.id}
          value={candidate.id}
          label={
            <span className={styles.candidate} data-testid="candidate">
              <Text weight="semibold">
                {candidate.displayName ?? candidate.userPrincipalName} — {candidate.userPrincipalName}
              </Text>
              <span className={styles.badges}>
                <Badge appearance="tint" color={confidenceColor[candidate.confidence]}>
                  {t(`enrollment.confidence.${candidate.confidence}`)}
                </Badge>
                {candidate.isSynced && (
                  <Badge appearance="outline" color="informative">
                    {t('enrollment.synced')}
                  </Badge>
                )}
                {!candidate.isEnabled && (
                  <Badge appearance="outline" color="danger">
                    {t('enrollment.disabled')}
                  </Badge>
                )}
                {candidate.reasons.map((reason) => (
                  <Badge key={reason} appearance="outline" size="small">
                    {t(`enrollment.reasons.${reason}`, { defaultValue: reason })}
                  </Badge>
                ))}
              </span>
              <Text size={200}>
                {t('enrollment.currentValues')} :{' '}
                <span className={styles.values}>
                  {candidate.certificateUserIds.length === 0
                    ? t('enrollment.none')
                    : candidate.certificateUserIds.join(' · ')}
                </span>
              </Text>
            </span>
          }
        />
      ))}
    </RadioGroup>
  );
}

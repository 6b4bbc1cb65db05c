import { Button, Card, Field, makeStyles, Select, Text, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { demoCardProfileSchema } from '../../../../shared/contract/cards';
import type { DemoCardProfile } from '../../../../shared/contract/cards';

const useStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: { display: 'flex', alignItems: 'end', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  // The longest profile name must not push the list past the card: it shrinks and the option text is clipped.
  field: { flexBasis: '100%', minWidth: 0 },
  select: { width: '100%', minWidth: 0 },
});

/** Demo only: put a virtual CPx card of any profile in the demo reader, or take it out. */
export function DemoCardControls(props: {
  onInsert: (profile: DemoCardProfile) => Promise<void>;
  onRemove: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [profile, setProfile] = useState<DemoCardProfile>('cps3');
  return (
    <Card className={styles.card} data-testid="demo-cards">
      <Text as="h2" size={400} weight="semibold">
        {t('desk.demoTitle')}
      </Text>
      <Text>{t('desk.demoHint')}</Text>
      <div className={styles.row}>
        <Field label={t('desk.demoProfile')} className={styles.field}>
          <Select
            className={styles.select}
            value={profile}
            onChange={(_event, data) => {
              setProfile(demoCardProfileSchema.parse(data.value));
            }}
          >
            {demoCardProfileSchema.options.map((option) => (
              <option key={option} value={option}>
                {t(`desk.profiles.${option}`)}
              </option>
            ))}
          </Select>
        </Field>
        <Button
          appearance="primary"
          onClick={() => {
            void props.onInsert(profile);
          }}
        >
          {t('desk.demoInsert')}
        </Button>
        <Button
          onClick={() => {
            void props.onRemove();
          }}
        >
          {t('desk.demoRemove')}
        </Button>
      </div>
    </Card>
  );
}

import { Field, makeStyles, Radio, RadioGroup, Select, Text, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { languageSchema, themePreferenceSchema } from '../../../../shared/contract/schemas';
import type { PageProps } from '../../app/app-shell';
import { PageHeader } from '../../app/page-header';
import { EntraSettings } from './entra-settings';
import { ModeSwitchButton } from './mode-switch';
import { TrustStoreSettings } from './trust-store-settings';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '40ch' },
  mode: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: tokens.spacingVerticalS },
});

/** Settings area: language, appearance, and which mode this session runs in (with the switch to the other). */
export function SettingsPage(props: PageProps) {
  const { t } = useTranslation();
  const styles = useStyles();
  return (
    <section data-testid="page-settings">
      <PageHeader title={t('settings.title')} intro={t('settings.intro')} />
      <div className={styles.form}>
        <Field label={t('settings.language')}>
          <Select
            value={props.settings.language}
            onChange={(_event, data) => {
              void props.onSettingsChange({ language: languageSchema.parse(data.value) });
            }}
          >
            <option value="fr">{t('languages.fr')}</option>
            <option value="en">{t('languages.en')}</option>
          </Select>
        </Field>
        <Field label={t('settings.theme')}>
          <RadioGroup
            value={props.settings.theme}
            onChange={(_event, data) => {
              void props.onSettingsChange({ theme: themePreferenceSchema.parse(data.value) });
            }}
          >
            <Radio value="system" label={t('settings.themeSystem')} />
            <Radio value="light" label={t('settings.themeLight')} />
            <Radio value="dark" label={t('settings.themeDark')} />
          </RadioGroup>
        </Field>
        <Field label={t('settings.mode')}>
          <div className={styles.mode}>
            <Text data-testid="settings-mode">
              {props.info.mode === 'demo' ? t('settings.modeDemo') : t('settings.modeLive')}
            </Text>
            <ModeSwitchButton mode={props.info.mode} />
          </div>
        </Field>
        <Field label={t('settings.version')}>
          <Text>{props.info.version}</Text>
        </Field>
      </div>
      <EntraSettings settings={props.settings} onSave={props.onSettingsChange} />
      <TrustStoreSettings />
    </section>
  );
}

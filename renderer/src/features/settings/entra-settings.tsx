import { Button, Field, Input, makeStyles, Text, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { settingsSchema } from '../../../../shared/contract/schemas';
import type { Settings } from '../../../../shared/contract/schemas';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '60ch' },
});

const entraSettingsSchema = settingsSchema.pick({ clientId: true, cbaGroupId: true, identifierAttribute: true });

/** Live-mode settings: the establishment's own app registration, CBA group and identifier attribute. */
export function EntraSettings(props: { settings: Settings; onSave: (patch: Partial<Settings>) => Promise<void> }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [clientId, setClientId] = useState(props.settings.clientId ?? '');
  const [cbaGroupId, setCbaGroupId] = useState(props.settings.cbaGroupId ?? '');
  const [identifierAttribute, setIdentifierAttribute] = useState(props.settings.identifierAttribute ?? '');
  const [isSaved, setSaved] = useState(false);
  const optional = (value: string) => (value.trim() === '' ? undefined : value.trim());
  const parsed = entraSettingsSchema.safeParse({
    clientId: optional(clientId),
    cbaGroupId: optional(cbaGroupId),
    identifierAttribute: optional(identifierAttribute),
  });
  const isClientIdInvalid = !parsed.success && parsed.error.issues.some((issue) => issue.path[0] === 'clientId');

  return (
    <form
      className={styles.form}
      onSubmit={(event) => {
        event.preventDefault();
        if (parsed.success) {
          void props.onSave(parsed.data).then(() => {
            setSaved(true);
          });
        }
      }}
    >
      <Text as="h2" size={500} weight="semibold">
        {t('settings.entra')}
      </Text>
      <Field
        label={t('settings.clientId')}
        hint={t('settings.clientIdHint')}
        validationState={isClientIdInvalid ? 'error' : 'none'}
        validationMessage={isClientIdInvalid ? t('settings.invalidClientId') : undefined}
      >
        <Input
          value={clientId}
          onChange={(_event, data) => {
            setSaved(false);
            setClientId(data.value);
          }}
        />
      </Field>
      <Field label={t('settings.cbaGroupId')} hint={t('settings.cbaGroupIdHint')}>
        <Input
          value={cbaGroupId}
          onChange={(_event, data) => {
            setSaved(false);
            setCbaGroupId(data.value);
          }}
        />
      </Field>
      <Field label={t('settings.identifierAttribute')} hint={t('settings.identifierAttributeHint')}>
        <Input
          value={identifierAttribute}
          onChange={(_event, data) => {
            setSaved(false);
            setIdentifierAttribute(data.value);
          }}
        />
      </Field>
      <div>
        <Button type="submit" appearance="primary" disabled={!parsed.success}>
          {t('settings.save')}
        </Button>{' '}
        {isSaved && <Text role="status">{t('settings.saved')}</Text>}
      </div>
    </form>
  );
}

import { Button, Field, Input, makeStyles, Text, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { settingsUpdateInputSchema } from '../../../../shared/contract/schemas';
import type { Settings } from '../../../../shared/contract/schemas';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '60ch' },
});

// The same checks as `settings:update`: a wrong value is shown here, before saving, not later at the desk.
const entraSettingsSchema = settingsUpdateInputSchema.pick({
  clientId: true,
  cbaGroupId: true,
  identifierAttribute: true,
});

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
  const isInvalid = (field: string) => !parsed.success && parsed.error.issues.some((issue) => issue.path[0] === field);
  const isClientIdInvalid = isInvalid('clientId');
  const isCbaGroupIdInvalid = isInvalid('cbaGroupId');
  const isIdentifierAttributeInvalid = isInvalid('identifierAttribute');

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
      <Field
        label={t('settings.cbaGroupId')}
        hint={t('settings.cbaGroupIdHint')}
        validationState={isCbaGroupIdInvalid ? 'error' : 'none'}
        validationMessage={isCbaGroupIdInvalid ? t('settings.invalidCbaGroupId') : undefined}
      >
        <Input
          value={cbaGroupId}
          onChange={(_event, data) => {
            setSaved(false);
            setCbaGroupId(data.value);
          }}
        />
      </Field>
      <Field
        label={t('settings.identifierAttribute')}
        hint={t('settings.identifierAttributeHint')}
        validationState={isIdentifierAttributeInvalid ? 'error' : 'none'}
        validationMessage={isIdentifierAttributeInvalid ? t('settings.invalidIdentifierAttribute') : undefined}
      >
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

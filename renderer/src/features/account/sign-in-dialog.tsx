import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  makeStyles,
  MessageBarBody,
  Radio,
  RadioGroup,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { accessModeSchema, signInInputSchema } from '../../../../shared/contract/account';
import type { AccessMode } from '../../../../shared/contract/account';
import type { AccountStore } from './use-account';
import { NoticeBar } from '../../app/notice-bar';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  code: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeHero700, letterSpacing: '0.2em' },
});

/** Sign-in form: tenant, read-only or fix access, browser or device code. */
export function SignInDialog(props: { store: AccountStore; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const { store } = props;
  // Untouched, the field shows the suggested tenant (demo clinic), even if the account state arrived after mount.
  const [typedTenant, setTenant] = useState<string | null>(null);
  const tenant = typedTenant ?? store.state?.suggestedTenant ?? '';
  const [access, setAccess] = useState<AccessMode>('read');
  const [method, setMethod] = useState<'interactive' | 'device-code'>('interactive');
  const input = signInInputSchema.safeParse({ tenant, access, method });

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (input.success && (await store.signIn(input.data))) {
      props.onClose();
    }
  };

  return (
    <Dialog
      open={props.open}
      onOpenChange={(_event, data) => {
        if (!data.open) {
          // Closing the dialog must not leave a sign-in waiting in the background.
          if (store.isBusy) {
            void store.cancelSignIn();
          }
          store.clearError();
          props.onClose();
        }
      }}
    >
      <DialogSurface aria-describedby="sign-in-intro">
        <form onSubmit={(event) => void submit(event)}>
          <DialogBody>
            <DialogTitle>{t('account.signInTitle')}</DialogTitle>
            <DialogContent className={styles.form}>
              <Text id="sign-in-intro">{t('account.signInIntro')}</Text>
              <Field label={t('account.tenant')} hint={t('account.tenantHint')} required>
                <Input
                  value={tenant}
                  autoComplete="off"
                  onChange={(_event, data) => {
                    setTenant(data.value);
                  }}
                />
              </Field>
              <Field label={t('account.access')}>
                <RadioGroup
                  value={access}
                  onChange={(_event, data) => {
                    setAccess(accessModeSchema.parse(data.value));
                  }}
                >
                  <Radio value="read" label={t('account.accessRead')} />
                  <Radio value="fix" label={t('account.accessFix')} />
                </RadioGroup>
              </Field>
              <Field label={t('account.method')}>
                <RadioGroup
                  value={method}
                  onChange={(_event, data) => {
                    setMethod(data.value === 'device-code' ? 'device-code' : 'interactive');
                  }}
                >
                  <Radio value="interactive" label={t('account.methodInteractive')} />
                  <Radio value="device-code" label={t('account.methodDeviceCode')} />
                </RadioGroup>
              </Field>
              {store.deviceCode !== null && (
                <NoticeBar intent="info" layout="multiline" data-testid="device-code">
                  <MessageBarBody>
                    {t('account.deviceCodeInstructions', { uri: store.deviceCode.verificationUri })}
                    <Text block className={styles.code}>
                      {store.deviceCode.userCode}
                    </Text>
                  </MessageBarBody>
                </NoticeBar>
              )}
              {store.error !== null && (
                <NoticeBar intent="error" data-testid="sign-in-error">
                  <MessageBarBody>{t(store.error.messageKey, store.error.details ?? {})}</MessageBarBody>
                </NoticeBar>
              )}
              {store.isBusy && <Spinner size="small" label={t('account.signingIn')} />}
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" type="submit" disabled={!input.success || store.isBusy}>
                {t('account.submit')}
              </Button>
              {store.isBusy ? (
                <Button
                  data-testid="sign-in-cancel"
                  onClick={() => {
                    void store.cancelSignIn();
                  }}
                >
                  {t('account.cancelSignIn')}
                </Button>
              ) : (
                <Button
                  onClick={() => {
                    store.clearError();
                    props.onClose();
                  }}
                >
                  {t('account.cancel')}
                </Button>
              )}
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}

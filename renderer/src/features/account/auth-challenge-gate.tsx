import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBarBody,
  Spinner,
  Text,
} from '@fluentui/react-components';
import { useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { toContractError } from '../../../../shared/contract/client';
import type { ContractError } from '../../../../shared/contract/envelope';
import { ClientContext, useClient } from '../../app/client-context';
import { observeChallenges } from './state/challenge';
import type { AuthChallenge } from './state/challenge';
import { NoticeBar } from '../../app/notice-bar';

/**
 * Global prompt for incremental consent and conditional-access step-up: any channel that fails because a scope was
 * never granted, or because conditional access wants a new authentication, opens it. "Autoriser" / "Se reconnecter"
 * asks for exactly what the failure named (`account:request-scopes`); the user then runs the action again.
 */
export function AuthChallengeGate(props: { children: ReactNode }) {
  const { t } = useTranslation();
  const client = useClient();
  const [challenge, setChallenge] = useState<AuthChallenge | null>(null);
  const [isBusy, setBusy] = useState(false);
  const [error, setError] = useState<ContractError | null>(null);
  const [isDone, setDone] = useState(false);
  const observed = useMemo(
    () =>
      observeChallenges(client, (next) => {
        setChallenge(next);
        setError(null);
        setDone(false);
      }),
    [client],
  );

  const close = () => {
    setChallenge(null);
    setError(null);
    setDone(false);
  };
  const grant = async (current: AuthChallenge) => {
    setBusy(true);
    setError(null);
    try {
      await client.invoke('account:request-scopes', {
        scopes: [...current.scopes],
        ...(current.kind === 'claims' ? { claims: current.claims } : {}),
      });
      setDone(true);
    } catch (failure) {
      setError(toContractError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <ClientContext.Provider value={observed}>
      {props.children}
      <Dialog
        open={challenge !== null}
        onOpenChange={(_event, data) => {
          if (!data.open && !isBusy) {
            close();
          }
        }}
      >
        <DialogSurface aria-describedby="auth-challenge-body" data-testid="auth-challenge">
          <DialogBody>
            <DialogTitle>
              {challenge?.kind === 'claims' ? t('account.challenge.claimsTitle') : t('account.challenge.consentTitle')}
            </DialogTitle>
            <DialogContent>
              <Text id="auth-challenge-body" block>
                {challenge?.kind === 'claims'
                  ? t('account.challenge.claimsBody')
                  : t('account.challenge.consentBody', { scopes: challenge?.scopes.join(', ') ?? '' })}
              </Text>
              {isBusy && <Spinner size="small" label={t('account.challenge.busy')} />}
              {isDone && (
                <NoticeBar intent="success" data-testid="auth-challenge-done">
                  <MessageBarBody>{t('account.challenge.done')}</MessageBarBody>
                </NoticeBar>
              )}
              {error !== null && (
                <NoticeBar intent="error" data-testid="auth-challenge-error">
                  <MessageBarBody>{t(error.messageKey, error.details ?? {})}</MessageBarBody>
                </NoticeBar>
              )}
            </DialogContent>
            <DialogActions>
              {!isDone && challenge !== null && (
                <Button appearance="primary" disabled={isBusy} onClick={() => void grant(challenge)}>
                  {challenge.kind === 'claims'
                    ? t('account.challenge.claimsAction')
                    : t('account.challenge.consentAction')}
                </Button>
              )}
              <Button disabled={isBusy} onClick={close}>
                {isDone ? t('account.challenge.close') : t('account.challenge.later')}
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </ClientContext.Provider>
  );
}

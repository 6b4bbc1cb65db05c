import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  makeStyles,
  MessageBarBody,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toContractError } from '../../../../shared/contract/client';
import type { AppMode } from '../../../../shared/contract/schemas';
import { useClient } from '../../app/client-context';
import { NoticeBar } from '../../app/notice-bar';

const useStyles = makeStyles({
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

type Outcome =
  { kind: 'idle' } | { kind: 'saving' } | { kind: 'restarting' } | { kind: 'saved' } | { kind: 'error'; key: string };

/**
 * Confirms a switch to `target` mode, explaining what changes, then saves it (`app:set-mode`): the host restarts
 * into it, or the user is told to restart when the host cannot.
 */
export function ModeSwitchDialog(props: { target: AppMode; open: boolean; requested?: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const client = useClient();
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const isLive = props.target === 'live';
  const isBusy = outcome.kind === 'saving' || outcome.kind === 'restarting';

  useEffect(() => {
    if (outcome.kind !== 'restarting') {
      return undefined;
    }
    // Electron relaunches with a new window. The browser shell restarts its runtime behind the same address: reload
    // once it answers in the new mode. Bounded: after a minute the spinner stays and the user restarts by hand.
    let attempts = 0;
    const timer = window.setInterval(() => {
      attempts += 1;
      if (attempts > 60) {
        window.clearInterval(timer);
        return;
      }
      client
        .invoke('app:get-info')
        .then((info) => {
          if (info.mode === props.target) {
            window.clearInterval(timer);
            window.location.reload();
          }
        })
        .catch(() => undefined);
    }, 1000);
    return () => {
      window.clearInterval(timer);
    };
  }, [client, outcome.kind, props.target]);

  const confirm = async () => {
    setOutcome({ kind: 'saving' });
    try {
      const reply = await client.invoke('app:set-mode', { mode: props.target });
      setOutcome({ kind: reply.restarting ? 'restarting' : 'saved' });
    } catch (error) {
      setOutcome({ kind: 'error', key: toContractError(error).messageKey });
    }
  };

  return (
    <Dialog
      open={props.open}
      modalType="alert"
      onOpenChange={(_event, data) => {
        if (!data.open && !isBusy) {
          setOutcome({ kind: 'idle' });
          props.onClose();
        }
      }}
    >
      <DialogSurface aria-describedby="mode-switch-body">
        <DialogBody>
          <DialogTitle>{isLive ? t('settings.modeSwitch.titleLive') : t('settings.modeSwitch.titleDemo')}</DialogTitle>
          <DialogContent id="mode-switch-body" className={styles.body} data-testid="mode-switch-dialog">
            {props.requested === true && <Text weight="semibold">{t('settings.modeSwitch.requested')}</Text>}
            <Text>{isLive ? t('settings.modeSwitch.bodyLive') : t('settings.modeSwitch.bodyDemo')}</Text>
            <Text>{isLive ? t('settings.modeSwitch.bodyLiveSetup') : t('settings.modeSwitch.bodyDemoKept')}</Text>
            <Text size={200}>{t('settings.modeSwitch.remembered')}</Text>
            {outcome.kind === 'restarting' && <Spinner size="tiny" label={t('settings.modeSwitch.restarting')} />}
            {outcome.kind === 'saved' && (
              <NoticeBar intent="success" role="status">
                <MessageBarBody>{t('settings.modeSwitch.restartYourself')}</MessageBarBody>
              </NoticeBar>
            )}
            {outcome.kind === 'error' && (
              <NoticeBar intent="error" role="alert">
                <MessageBarBody>{t(outcome.key)}</MessageBarBody>
              </NoticeBar>
            )}
          </DialogContent>
          <DialogActions>
            {outcome.kind !== 'saved' && (
              <Button
                appearance="primary"
                disabled={isBusy}
                onClick={() => {
                  void confirm();
                }}
              >
                {isLive ? t('settings.modeSwitch.confirmLive') : t('settings.modeSwitch.confirmDemo')}
              </Button>
            )}
            <Button
              appearance="secondary"
              disabled={isBusy}
              onClick={() => {
                setOutcome({ kind: 'idle' });
                props.onClose();
              }}
            >
              {t('settings.modeSwitch.cancel')}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

/** Paramètres: « Passer en mode réel » / « Revenir au mode démo », behind the confirmation dialog. */
export function ModeSwitchButton(props: { mode: AppMode }) {
  const { t } = useTranslation();
  const [isOpen, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const target: AppMode = props.mode === 'demo' ? 'live' : 'demo';
  return (
    <>
      <Button
        ref={buttonRef}
        appearance="secondary"
        data-testid="mode-switch"
        onClick={() => {
          setOpen(true);
        }}
      >
        {target === 'live' ? t('settings.modeSwitch.toLive') : t('settings.modeSwitch.toDemo')}
      </Button>
      <ModeSwitchDialog
        target={target}
        open={isOpen}
        onClose={() => {
          setOpen(false);
          // The dialog has no DialogTrigger (it also opens on a second launch's request): give focus back by hand,
          // once Fluent has unmounted the surface, or a keyboard user is left on <body>.
          window.requestAnimationFrame(() => {
            buttonRef.current?.focus();
          });
        }}
      />
    </>
  );
}

/** Opens the confirmation when another launch asked for the other mode (`--live` on a shortcut while demo runs). */
export function ModeRequestListener() {
  const client = useClient();
  const [target, setTarget] = useState<AppMode | undefined>(undefined);
  useEffect(
    () =>
      client.on('app:mode-requested', ({ mode }) => {
        setTarget(mode);
      }),
    [client],
  );
  return target === undefined ? null : (
    <ModeSwitchDialog
      target={target}
      open
      requested
      onClose={() => {
        setTarget(undefined);
      }}
    />
  );
}

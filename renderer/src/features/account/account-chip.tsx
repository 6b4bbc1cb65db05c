import { Badge, Button, Menu, MenuItem, MenuList, MenuPopover, MenuTrigger, Persona } from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ModeRequestListener } from '../settings/mode-switch';
import { SignInDialog } from './sign-in-dialog';
import type { AccountStore } from './use-account';

/** Header control: "Se connecter" when signed out; the signed-in account, its access and a menu otherwise. */
export function AccountChip(props: { store: AccountStore }) {
  const { t } = useTranslation();
  const [isDialogOpen, setDialogOpen] = useState(false);
  const active = props.store.state?.active ?? null;
  const chipRef = useRef<HTMLButtonElement>(null);
  const signInRef = useRef<HTMLButtonElement>(null);
  // The dialog has no DialogTrigger, so nothing restores focus when it closes; and a sign-in replaces « Se connecter »
  // by the chip. Focus goes to whichever of the two is there, or a keyboard user is left on <body>.
  const [isFocusPending, setFocusPending] = useState(false);
  useEffect(() => {
    if (!isFocusPending || isDialogOpen) {
      return undefined;
    }
    const frame = window.requestAnimationFrame(() => {
      (chipRef.current ?? signInRef.current)?.focus();
      setFocusPending(false);
    });
    return () => {
      window.cancelAnimationFrame(frame);
    };
  }, [isFocusPending, isDialogOpen, active]);
  // One entry per account and tenant: a consultant's guest tenants are listed beside their home tenant.
  const others = (props.store.state?.accounts ?? []).filter(
    (account) => account.homeAccountId !== active?.homeAccountId || account.tenantId !== active.tenantId,
  );
  const tenantOf = (account: { tenantId: string; tenantLabel?: string | undefined }) =>
    t('account.tenantOf', { tenant: account.tenantLabel ?? account.tenantId });
  const dialog = (
    <>
      <SignInDialog
        store={props.store}
        open={isDialogOpen}
        onClose={() => {
          setDialogOpen(false);
          setFocusPending(true);
        }}
      />
      {/* The chip is in the header on every page: it hosts the offer to switch mode a second launch asks for. */}
      <ModeRequestListener />
    </>
  );

  if (active === null) {
    return (
      <>
        <Button
          ref={signInRef}
          appearance="primary"
          onClick={() => {
            setDialogOpen(true);
          }}
        >
          {t('account.signIn')}
        </Button>
        {dialog}
      </>
    );
  }
  return (
    <>
      <Menu>
        <MenuTrigger disableButtonEnhancement>
          <Button
            ref={chipRef}
            appearance="subtle"
            aria-label={t('account.accountMenu', { name: active.name })}
            data-testid="account-chip"
          >
            <Persona
              name={active.name}
              secondaryText={`${active.username} · ${tenantOf(active)}`}
              size="small"
              data-testid="account-tenant"
            />
            <Badge appearance="tint" color={props.store.state?.access === 'fix' ? 'danger' : 'informative'}>
              {props.store.state?.access === 'fix' ? t('account.fixBadge') : t('account.readOnlyBadge')}
            </Badge>
          </Button>
        </MenuTrigger>
        <MenuPopover>
          <MenuList>
            {others.map((account) => (
              <MenuItem
                key={`${account.homeAccountId}|${account.tenantId}`}
                onClick={() => {
                  void props.store.switchTo(account.homeAccountId, account.tenantId);
                }}
              >
                {`${t('account.switchTo', { name: account.name })} — ${tenantOf(account)}`}
              </MenuItem>
            ))}
            <MenuItem
              onClick={() => {
                setDialogOpen(true);
              }}
            >
              {t('account.signIn')}
            </MenuItem>
            <MenuItem
              onClick={() => {
                void props.store.signOut();
              }}
            >
              {t('account.signOut')}
            </MenuItem>
          </MenuList>
        </MenuPopover>
      </Menu>
      {dialog}
    </>
  );
}

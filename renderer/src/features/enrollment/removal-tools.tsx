import {
  Button,
  Card,
  Checkbox,
  Input,
  makeStyles,
  MessageBarBody,
  Radio,
  RadioGroup,
  Tab,
  TabList,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ReasonPicker, RemovalPreview } from './removal-preview';
import { useRemovalTools } from './use-removal-tools';
import { NoticeBar } from '../../app/notice-bar';

const useStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
  values: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, wordBreak: 'break-all' },
});

/**
 * Remove a mapping without a card in a reader: load the card's certificate (DER or PEM) and pick an account that
 * holds its values, or search a user and pick values; then reason, preview (removed / kept and why), confirm.
 */
export function RemovalTools(props: { canWrite: boolean }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const tools = useRemovalTools();
  const { state } = tools;
  const [query, setQuery] = useState('');
  const user = state.users?.find((u) => u.id === state.userId) ?? null;
  return (
    <Card className={styles.card} data-testid="removal-tools">
      <Text as="h2" size={400} weight="semibold">
        {t('enrollment.removal.title')}
      </Text>
      <Text>{t('enrollment.removal.intro')}</Text>
      <TabList
        selectedValue={state.mode}
        onTabSelect={(_event, data) => {
          tools.setMode(data.value === 'user' ? 'user' : 'certificate');
        }}
      >
        <Tab value="certificate">{t('enrollment.removal.byCertificate')}</Tab>
        <Tab value="user">{t('enrollment.removal.byUser')}</Tab>
      </TabList>
      {state.mode === 'certificate' ? (
        <label className={styles.row}>
          <Text>{t('enrollment.removal.loadCertificate')}</Text>
          <input
            type="file"
            accept=".cer,.crt,.der,.pem"
            aria-label={t('enrollment.removal.loadCertificate')}
            disabled={!props.canWrite || state.busy}
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file !== undefined) {
                void tools.loadCertificate(file);
              }
            }}
          />
        </label>
      ) : (
        <form
          className={styles.row}
          onSubmit={(event) => {
            event.preventDefault();
            if (query.trim().length >= 2) {
              void tools.searchUsers(query);
            }
          }}
        >
          <Input
            aria-label={t('enrollment.removal.userQuery')}
            placeholder={t('enrollment.removal.userQuery')}
            value={query}
            onChange={(_event, data) => {
              setQuery(data.value);
            }}
          />
          <Button type="submit" disabled={!props.canWrite || query.trim().length < 2} disabledFocusable={state.busy}>
            {t('enrollment.removal.searchUsers')}
          </Button>
        </form>
      )}
      {state.error !== null && (
        <NoticeBar intent="error" data-testid="removal-error">
          <MessageBarBody>{t(state.error.messageKey, state.error.details ?? {})}</MessageBarBody>
        </NoticeBar>
      )}
      {state.users !== null && state.users.length === 0 && (
        <Text>{state.mode === 'certificate' ? t('enrollment.removal.noHolder') : t('enrollment.removal.noUser')}</Text>
      )}
      {state.users !== null && state.users.length > 0 && (
        <RadioGroup
          aria-label={t('enrollment.candidates')}
          value={state.userId ?? ''}
          onChange={(_event, data) => {
            tools.selectUser(data.value);
          }}
        >
          {state.users.map((u) => (
            <div key={u.id} data-testid="removal-user">
              <Radio
                value={u.id}
                label={`${u.displayName ?? u.userPrincipalName} — ${u.userPrincipalName} (${String(u.certificateUserIds.length)})`}
              />
            </div>
          ))}
        </RadioGroup>
      )}
      {state.mode === 'user' && user !== null && (
        <div>
          <Text weight="semibold">{t('enrollment.removal.pickValues')}</Text>
          {user.certificateUserIds.length === 0 && <Text block>{t('enrollment.removal.nothing')}</Text>}
          {user.certificateUserIds.map((value) => (
            <Checkbox
              key={value}
              className={styles.values}
              label={value}
              checked={state.picked.includes(value)}
              onChange={(_event, data) => {
                tools.togglePicked(value, data.checked === true);
              }}
            />
          ))}
        </div>
      )}
      {user !== null && (
        <>
          <ReasonPicker value={state.reason} onChange={tools.setReason} />
          <div className={styles.row}>
            <Button disabled={!tools.canPreview} disabledFocusable={state.busy} onClick={() => void tools.preview()}>
              {t('enrollment.removal.preview')}
            </Button>
          </div>
        </>
      )}
      {state.plan !== null && (
        <RemovalPreview
          plan={state.plan}
          busy={state.busy}
          onConfirm={() => void tools.confirm()}
          onCancel={tools.cancel}
        />
      )}
      {state.outcome !== null && (
        <NoticeBar intent={state.outcome.status === 'queued' ? 'warning' : 'success'} data-testid="removal-outcome">
          <MessageBarBody>
            {t(`enrollment.outcome.${state.outcome.status}`, { user: state.outcome.userPrincipalName })}
          </MessageBarBody>
        </NoticeBar>
      )}
    </Card>
  );
}

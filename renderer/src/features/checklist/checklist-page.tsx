import { useTranslation } from 'react-i18next';
import type { PageProps } from '../../app/app-shell';
import { PageHeader } from '../../app/page-header';
import { TenantOverviewCard } from './tenant-overview-card';

/** Checklist area: starts from the connected tenant's overview. */
export function ChecklistPage(props: PageProps) {
  const { t } = useTranslation();
  const accountId = props.account.state?.active?.homeAccountId ?? null;
  return (
    <section data-testid="page-checklist">
      <PageHeader title={t('checklist.title')} intro={t('checklist.intro')} />
      <TenantOverviewCard key={accountId ?? 'signed-out'} accountId={accountId} />
    </section>
  );
}

import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../app/page-header';
import { JournalPanel } from '../enrollment/journal-panel';

/** Reports area. */
export function ReportsPage() {
  const { t } = useTranslation();
  return (
    <section data-testid="page-reports">
      <PageHeader title={t('reports.title')} intro={t('reports.intro')} />
      <JournalPanel />
    </section>
  );
}

import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../app/PageHeader';
import { JournalPanel } from '../enrollment/JournalPanel';

/** Reports area. */
export default function ReportsPage() {
  const { t } = useTranslation();
  return (
    <section data-testid="page-reports">
      <PageHeader title={t('reports.title')} intro={t('reports.intro')} />
      <JournalPanel />
    </section>
  );
}

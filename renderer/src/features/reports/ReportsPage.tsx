import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../app/PageHeader';

/** Reports area. */
export default function ReportsPage() {
  const { t } = useTranslation();
  return (
    <section data-testid="page-reports">
      <PageHeader title={t('reports.title')} intro={t('reports.intro')} />
    </section>
  );
}

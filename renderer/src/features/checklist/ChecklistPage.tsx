import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../app/PageHeader';

/** Checklist area. */
export default function ChecklistPage() {
  const { t } = useTranslation();
  return (
    <section data-testid="page-checklist">
      <PageHeader title={t('checklist.title')} intro={t('checklist.intro')} />
    </section>
  );
}

import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../app/PageHeader';

/** Desk area. */
export default function DeskPage() {
  const { t } = useTranslation();
  return (
    <section data-testid="page-desk">
      <PageHeader title={t('desk.title')} intro={t('desk.intro')} />
    </section>
  );
}

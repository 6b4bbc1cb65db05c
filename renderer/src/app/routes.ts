/** The four areas of the assistant, in navigation order. */
export const areas = ['desk', 'checklist', 'reports', 'settings'] as const;
export type Area = (typeof areas)[number];

/** French URL fragments: the address bar is part of the French-first UI. */
const slugs: Record<Area, string> = {
  desk: 'guichet',
  checklist: 'checklist',
  reports: 'rapports',
  settings: 'parametres',
};

/** Area named by a location hash (`#/guichet`); unknown or empty hashes open the desk. */
export function areaFromHash(hash: string): Area {
  const slug = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return areas.find((area) => slugs[area] === slug) ?? 'desk';
}

/** Location hash for an area. */
export function hashForArea(area: Area): string {
  return `#/${slugs[area]}`;
}

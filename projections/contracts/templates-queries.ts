import type pg from 'pg';
import { isUuid } from '../identity/profiles-queries.js';

/** A template in the admin list: 'platform' in `defaultFor` when it is the platform-wide default. */
export interface TemplateListItem {
  id: string;
  name: string;
  version: number;
  placeholders: string[];
  /** Project ids (and 'platform') this template is the default of. */
  defaultFor: string[];
  /** Contracts generated from any of its versions. */
  usageCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface TemplateVersionView {
  version: number;
  name: string;
  body: string;
  createdAt: string;
  /** Who made the version (the event's actor). */
  actor: string | null;
}

export interface TemplateView extends TemplateListItem {
  body: string;
  /** Oldest first. */
  versions: TemplateVersionView[];
}

/** The template a new contract of a project is generated from. */
export interface DefaultTemplate {
  id: string;
  name: string;
  version: number;
  body: string;
  placeholders: string[];
  /** Whether the project has its own default or the platform's applies. */
  scope: 'project' | 'platform';
}

// biome-ignore lint/suspicious/noExplicitAny: rows straight from pg
type Row = any;

const SELECT = `
  select t.*,
      coalesce((select array_agg(d.scope order by d.scope) from rm.contract_template_defaults d
        where d.template_id = t.id), '{}') as default_for,
      (select count(*) from rm.contracts c where c.template_id = t.id)::int as usage_count
    from rm.contract_templates t`;

const listItemOf = (row: Row): TemplateListItem => ({
  id: row.id,
  name: row.name,
  version: row.version,
  placeholders: row.placeholders,
  defaultFor: row.default_for,
  usageCount: row.usage_count,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

/** Every template not deleted, by name. */
export async function listTemplates(pool: pg.Pool): Promise<TemplateListItem[]> {
  const { rows } = await pool.query(`${SELECT} where not t.deleted order by t.name, t.id`);
  return rows.map(listItemOf);
}

/** A template with its current body and every version; null when unknown or deleted. */
export async function getTemplate(pool: pg.Pool, id: string): Promise<TemplateView | null> {
  if (!isUuid(id)) return null;
  const { rows } = await pool.query(`${SELECT} where t.id = $1 and not t.deleted`, [id]);
  const row = rows[0];
  if (!row) return null;
  const versions = await pool.query(
    'select * from rm.contract_template_versions where template_id = $1 order by version',
    [id],
  );
  return {
    ...listItemOf(row),
    body: row.body,
    versions: versions.rows.map((v: Row) => ({
      version: v.version,
      name: v.name,
      body: v.body,
      createdAt: v.created_at.toISOString(),
      actor: v.actor,
    })),
  };
}

/** How many contracts were generated from any version of the template. */
export async function templateUsage(pool: pg.Pool, templateId: string): Promise<number> {
  if (!isUuid(templateId)) return 0;
  const { rows } = await pool.query<{ count: number }>(
    'select count(*)::int as count from rm.contracts where template_id = $1',
    [templateId],
  );
  return rows[0]?.count ?? 0;
}

/** The project's default template, else the platform's; null when neither is set. */
export async function defaultTemplateFor(pool: pg.Pool, projectId: string | null): Promise<DefaultTemplate | null> {
  const scopes = projectId !== null && isUuid(projectId) ? [projectId, 'platform'] : ['platform'];
  const { rows } = await pool.query(
    `select t.id, t.name, t.version, t.body, t.placeholders, d.scope
      from rm.contract_template_defaults d join rm.contract_templates t on t.id = d.template_id
      where d.scope = any($1) and not t.deleted
      order by d.scope = 'platform'
      limit 1`,
    [scopes],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    body: row.body,
    placeholders: row.placeholders,
    scope: row.scope === 'platform' ? 'platform' : 'project',
  };
}

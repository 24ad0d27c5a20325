import { type Kysely, type Migration, sql } from 'kysely';
import type { DialectCapabilities } from '../dialects/capabilities.ts';

/** The data model (the tables in docs/architecture.md), on either engine. */
export function initialMigration(caps: DialectCapabilities): Migration {
  const id = caps.idType;
  const big = caps.bigintType;
  const date = caps.dateType;
  const wall = caps.wallTimeType;
  const instant = caps.instantType;
  const float = caps.floatType;
  const autoId = caps.primaryKeyId;

  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('customers')
        .addColumn('id', id, autoId)
        .addColumn('code', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text')
        .addColumn('kind', 'text', (c) => c.notNull().defaultTo('individual'))
        .addColumn('gender', 'text')
        .addColumn('age', 'integer')
        .addColumn('birth_date', date)
        .addColumn('phone_enc', 'text')
        .addColumn('phone_idx', 'text')
        .addColumn('email_enc', 'text')
        .addColumn('email_idx', 'text')
        .addColumn('address_enc', 'text')
        .addColumn('region', 'text')
        .addColumn('province', 'text')
        .addColumn('city', 'text')
        .addColumn('source', 'text')
        .addColumn('owner_user_id', big)
        .addColumn('industry', 'text')
        .addColumn('company_size', 'text')
        .addColumn('ownership_type', 'text')
        .addColumn('price_sensitivity', 'text')
        .addColumn('payment_habit', 'text')
        .addColumn('procurement_mode', 'text')
        .addColumn('preference', 'text')
        .addColumn('attributes', 'text')
        .addColumn('consent_marketing', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('opening_order_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('opening_amount', big, (c) => c.notNull().defaultTo(0))
        .addColumn('opening_first_date', date)
        .addColumn('opening_last_date', date)
        .addColumn('import_job_id', big)
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('updated_at', instant, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('erased_at', instant)
        .execute();
      await db.schema.createIndex('customers_phone_idx').on('customers').column('phone_idx').execute();
      await db.schema.createIndex('customers_email_idx').on('customers').column('email_idx').execute();
      await db.schema.createIndex('customers_region').on('customers').column('region').execute();
      await db.schema.createIndex('customers_owner').on('customers').column('owner_user_id').execute();

      await db.schema
        .createTable('orders')
        .addColumn('id', id, autoId)
        .addColumn('customer_id', big, (c) => c.notNull().references('customers.id'))
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('external_id', 'text', (c) => c.notNull())
        .addColumn('ordered_at', wall, (c) => c.notNull())
        .addColumn('order_date', date, (c) => c.notNull())
        .addColumn('amount', big, (c) => c.notNull())
        .addColumn('cost', big)
        .addColumn('quantity', float)
        .addColumn('product', 'text')
        .addColumn('category', 'text')
        .addColumn('channel', 'text')
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('completed'))
        .addColumn('import_job_id', big)
        .addColumn('created_at', instant, (c) => c.notNull())
        .addUniqueConstraint('orders_source_external_id', ['source', 'external_id'])
        .execute();
      await db.schema
        .createIndex('orders_customer_date')
        .on('orders')
        .columns(['customer_id', 'order_date'])
        .execute();

      await db.schema
        .createTable('interactions')
        .addColumn('id', id, autoId)
        .addColumn('customer_id', big, (c) => c.notNull().references('customers.id'))
        .addColumn('external_id', 'text', (c) => c.notNull().unique())
        .addColumn('at', wall, (c) => c.notNull())
        .addColumn('interaction_date', date, (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('direction', 'text')
        .addColumn('subject', 'text')
        .addColumn('request', 'text')
        .addColumn('solution', 'text')
        .addColumn('outcome', 'text')
        .addColumn('user_id', big)
        .addColumn('import_job_id', big)
        .addColumn('created_at', instant, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('interactions_customer_date')
        .on('interactions')
        .columns(['customer_id', 'interaction_date'])
        .execute();

      await db.schema
        .createTable('feedback')
        .addColumn('id', id, autoId)
        .addColumn('customer_id', big, (c) => c.notNull().references('customers.id'))
        .addColumn('external_id', 'text', (c) => c.notNull().unique())
        .addColumn('at', wall, (c) => c.notNull())
        .addColumn('feedback_date', date, (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull().defaultTo('feedback'))
        .addColumn('satisfaction', 'integer')
        .addColumn('nps', 'integer')
        .addColumn('comment', 'text')
        .addColumn('suggestion', 'text')
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
        .addColumn('resolution', 'text')
        .addColumn('handled_by', big)
        .addColumn('import_job_id', big)
        .addColumn('created_at', instant, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('feedback_customer_date')
        .on('feedback')
        .columns(['customer_id', 'feedback_date'])
        .execute();

      await db.schema
        .createTable('tag_categories')
        .addColumn('id', id, autoId)
        .addColumn('key', 'text', (c) => c.notNull().unique())
        .addColumn('name_zh', 'text', (c) => c.notNull())
        .addColumn('name_en', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('tags')
        .addColumn('id', id, autoId)
        .addColumn('category_id', big, (c) => c.references('tag_categories.id'))
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('mode', 'text', (c) => c.notNull().defaultTo('manual'))
        .addColumn('rule', 'text')
        .addColumn('color', 'text')
        .addColumn('created_at', instant, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('customer_tags')
        .addColumn('customer_id', big, (c) => c.notNull().references('customers.id'))
        .addColumn('tag_id', big, (c) => c.notNull().references('tags.id'))
        .addColumn('source', 'text', (c) => c.notNull().defaultTo('manual'))
        .addColumn('assigned_at', instant, (c) => c.notNull())
        .addPrimaryKeyConstraint('customer_tags_pk', ['customer_id', 'tag_id'])
        .execute();
      await db.schema
        .createIndex('customer_tags_tag')
        .on('customer_tags')
        .columns(['tag_id', 'customer_id'])
        .execute();

      await db.schema
        .createTable('schemes')
        .addColumn('id', id, autoId)
        .addColumn('key', 'text', (c) => c.notNull().unique())
        .addColumn('name_zh', 'text', (c) => c.notNull())
        .addColumn('name_en', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('builtin', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('current_version_id', big)
        .addColumn('created_at', instant, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('scheme_versions')
        .addColumn('id', id, autoId)
        .addColumn('scheme_id', big, (c) => c.notNull().references('schemes.id'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('published_at', instant)
        .addColumn('published_by', 'text')
        .addUniqueConstraint('scheme_versions_version', ['scheme_id', 'version'])
        .execute();
      await db.schema
        .createTable('classification_runs')
        .addColumn('id', id, autoId)
        .addColumn('scheme_id', big, (c) => c.notNull().references('schemes.id'))
        .addColumn('scheme_version_id', big, (c) => c.notNull().references('scheme_versions.id'))
        .addColumn('previous_run_id', big)
        .addColumn('as_of', date, (c) => c.notNull())
        .addColumn('started_at', instant, (c) => c.notNull())
        .addColumn('finished_at', instant)
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('population', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('stats', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('counts', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('transitions', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('changed', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable('customer_classes')
        .addColumn('customer_id', big, (c) => c.notNull().references('customers.id'))
        .addColumn('scheme_id', big, (c) => c.notNull().references('schemes.id'))
        .addColumn('class_key', 'text', (c) => c.notNull())
        .addColumn('run_id', big, (c) => c.notNull())
        .addColumn('since', date, (c) => c.notNull())
        .addColumn('scores', 'text')
        .addPrimaryKeyConstraint('customer_classes_pk', ['customer_id', 'scheme_id'])
        .execute();
      await db.schema
        .createIndex('customer_classes_scheme_class')
        .on('customer_classes')
        .columns(['scheme_id', 'class_key'])
        .execute();
      await db.schema
        .createTable('class_changes')
        .addColumn('id', id, autoId)
        .addColumn('customer_id', big, (c) => c.notNull().references('customers.id'))
        .addColumn('scheme_id', big, (c) => c.notNull())
        .addColumn('run_id', big, (c) => c.notNull())
        .addColumn('from_class', 'text')
        .addColumn('to_class', 'text', (c) => c.notNull())
        .addColumn('at', date, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('class_changes_customer')
        .on('class_changes')
        .columns(['customer_id', 'scheme_id'])
        .execute();
      await db.schema.createIndex('class_changes_run').on('class_changes').column('run_id').execute();

      await db.schema
        .createTable('customer_metrics')
        .addColumn('customer_id', big, (c) => c.primaryKey().references('customers.id'))
        .addColumn('as_of', date, (c) => c.notNull())
        .addColumn('order_count', 'integer', (c) => c.notNull())
        .addColumn('total_amount', big, (c) => c.notNull())
        .addColumn('avg_order_amount', big)
        .addColumn('first_order_date', date)
        .addColumn('last_order_date', date)
        .addColumn('recency_days', 'integer')
        .addColumn('tenure_days', 'integer')
        .addColumn('order_count_365d', 'integer', (c) => c.notNull())
        .addColumn('total_amount_365d', big, (c) => c.notNull())
        .addColumn('gross_profit_365d', big)
        .addColumn('amount_180d', big, (c) => c.notNull())
        .addColumn('amount_prev_180d', big, (c) => c.notNull())
        .addColumn('distinct_categories', 'integer', (c) => c.notNull())
        .addColumn('avg_interpurchase_days', float)
        .addColumn('satisfaction_avg', float)
        .addColumn('nps_avg', float)
        .addColumn('complaint_count_365d', 'integer', (c) => c.notNull())
        .addColumn('interactions_90d', 'integer', (c) => c.notNull())
        .addColumn('days_since_contact', 'integer')
        .addColumn('r_score', 'integer')
        .addColumn('f_score', 'integer')
        .addColumn('m_score', 'integer')
        .addColumn('value_score', float)
        .addColumn('potential_score', float)
        .addColumn('computed_at', instant, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('segments')
        .addColumn('id', id, autoId)
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('rule', 'text', (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('plans')
        .addColumn('id', id, autoId)
        .addColumn('scheme_id', big, (c) => c.notNull().references('schemes.id'))
        .addColumn('class_key', 'text', (c) => c.notNull())
        .addColumn('goal', 'text')
        .addColumn('actions', 'text')
        .addColumn('contact_every_days', 'integer')
        .addColumn('owner_role', 'text')
        .addUniqueConstraint('plans_scheme_class', ['scheme_id', 'class_key'])
        .execute();
      await db.schema
        .createTable('tasks')
        .addColumn('id', id, autoId)
        .addColumn('customer_id', big, (c) => c.notNull().references('customers.id'))
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('due_date', date, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
        .addColumn('assignee_user_id', big)
        .addColumn('note', 'text')
        .addColumn('created_at', instant, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('import_jobs')
        .addColumn('id', id, autoId)
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('file_size', big, (c) => c.notNull())
        .addColumn('file_hash', 'text', (c) => c.notNull())
        .addColumn('mapping', 'text')
        .addColumn('options', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('counts', 'text')
        .addColumn('errors', 'text')
        .addColumn('started_at', instant, (c) => c.notNull())
        .addColumn('finished_at', instant)
        .execute();

      await db.schema
        .createTable('audit_log')
        .addColumn('id', id, autoId)
        .addColumn('at', instant, (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('entity', 'text')
        .addColumn('entity_id', 'text')
        .addColumn('details', 'text')
        .execute();
      for (const statement of caps.appendOnlyStatements('audit_log')) {
        await sql.raw(statement).execute(db);
      }
    },
  };
}

/**
 * SQL that turns the rows of a `changed` CTE (messages that just changed status) into outbound
 * webhook deliveries, one per subscribed endpoint of the message's account, in the same statement as
 * the change — so a status change and its announcement commit or fail together (a transactional
 * outbox). Every endpoint receives the same event id.
 *
 * @param eventTypeParameter the `$n` holding the event type (`message.sent`…), or NULL for none.
 * @param source the CTE of changed messages; `changed` unless a statement announces two kinds.
 * @param name the CTEs added are `<name>_event` and `<name>`.
 */
export function announceStatusChange(
  eventTypeParameter: string,
  source = 'changed',
  name = 'announced',
): string {
  const type = `${eventTypeParameter}::text`;
  return `
    ${name}_event AS (
      SELECT gen_random_uuid() AS event_id, ${source}.* FROM ${source} WHERE ${type} IS NOT NULL
    ),
    ${name} AS (
      INSERT INTO webhook_deliveries (endpoint_id, account_id, event_id, event_type, message_id, payload)
      SELECT endpoint.id, event.account_id, event.event_id, ${type}, event.id,
        json_build_object(
          'id', event.event_id,
          'type', ${type},
          'created_at', to_char(event.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
          'data', json_build_object(
            'message_id', event.id,
            'instance_id', event.instance_id,
            'invoice_id', event.invoice_id,
            'message_type', event.message_type,
            'status', event.status,
            'phone_number', event.phone_number,
            'provider_message_id', event.provider_message_id,
            'attempts', event.attempts,
            'error', CASE WHEN event.status = 'failed' THEN event.last_error END,
            'reason_code', event.reason_code,
            'metadata', event.metadata))
      FROM ${name}_event event
      JOIN webhook_endpoints endpoint
        ON endpoint.account_id = event.account_id AND endpoint.enabled AND endpoint.deleted_at IS NULL
       AND ${type} = ANY(endpoint.events)
    )`;
}

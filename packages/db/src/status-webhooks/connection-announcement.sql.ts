/**
 * SQL that turns the row of a `changed` CTE (an instance whose connection state just changed, with
 * `state`, `previous_state` and `at`) into outbound webhook deliveries, one per enabled endpoint of
 * the instance's account subscribed to the event, in the same statement as the change — so a
 * connection change and its announcement commit or fail together, like message statuses
 * (status-announcement.sql.ts). Every endpoint receives the same event id; the delivery names no
 * message.
 *
 * @param eventTypeParameter the `$n` holding the event type (`instance.disconnected`…), or NULL for none.
 * @param reasonParameter the `$n` holding why the state was recorded.
 */
export function announceConnectionChange(eventTypeParameter: string, reasonParameter: string): string {
  const type = `${eventTypeParameter}::text`;
  const utc = (column: string): string =>
    `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  return `
    announced_event AS (
      SELECT gen_random_uuid() AS event_id, changed.* FROM changed WHERE ${type} IS NOT NULL
    ),
    announced AS (
      INSERT INTO webhook_deliveries (endpoint_id, account_id, event_id, event_type, message_id, payload)
      SELECT endpoint.id, event.account_id, event.event_id, ${type}, NULL,
        json_build_object(
          'id', event.event_id,
          'type', ${type},
          'created_at', ${utc('event.at')},
          'data', json_build_object(
            'instance_id', event.id,
            'name', event.name,
            'evolution_instance_name', event.evolution_instance_name,
            'state', event.state,
            'previous_state', event.previous_state,
            'reason', ${reasonParameter}::text,
            'at', ${utc('event.at')}))
      FROM announced_event event
      JOIN webhook_endpoints endpoint
        ON endpoint.account_id = event.account_id AND endpoint.enabled AND endpoint.deleted_at IS NULL
       AND ${type} = ANY(endpoint.events)
    )`;
}

/** `timestamptz` as the ISO 8601 text every event carries. */
const utc = (column: string): string =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * SQL that turns the rows of an `inserted` CTE (customers' messages just stored) into
 * `message.received` deliveries, one per enabled endpoint of the account subscribed to it, in the
 * same statement as the insert — so a reply is announced exactly when it is stored, and a repeated
 * `messages.upsert` (stored nothing) announces nothing.
 *
 * `in_reply_to` is the newest outgoing message sent to that number from that instance: what a
 * billing system routes an "I paid" to. It is looked up only when some endpoint will receive it,
 * newest first on the (instance, phone, created_at) index, so a number's history is not read.
 *
 * @param eventTypeParameter the `$n` holding `message.received`.
 */
export function announceReply(eventTypeParameter: string): string {
  const type = `${eventTypeParameter}::text`;
  return `
    reply_event AS (
      SELECT gen_random_uuid() AS event_id, inserted.*, instance.name AS instance_name,
             answered.id AS answered_id, answered.invoice_id AS answered_invoice_id,
             answered.message_type AS answered_message_type, answered.sent_at AS answered_sent_at,
             answered.metadata AS answered_metadata
      FROM inserted
      JOIN instances instance ON instance.id = inserted.instance_id
      LEFT JOIN LATERAL (
        SELECT outgoing.id, outgoing.invoice_id, outgoing.message_type, outgoing.sent_at, outgoing.metadata
        FROM messages outgoing
        WHERE outgoing.instance_id = inserted.instance_id AND outgoing.phone_number = inserted.phone_number
          AND outgoing.direction = 'outgoing' AND outgoing.sent_at IS NOT NULL
        ORDER BY outgoing.created_at DESC, outgoing.id DESC
        LIMIT 1
      ) answered ON true
      WHERE EXISTS (
        SELECT 1 FROM webhook_endpoints endpoint
        WHERE endpoint.account_id = inserted.account_id AND endpoint.enabled AND endpoint.deleted_at IS NULL
          AND ${type} = ANY(endpoint.events))
    ),
    reply_announced AS (
      INSERT INTO webhook_deliveries (endpoint_id, account_id, event_id, event_type, message_id, payload)
      SELECT endpoint.id, event.account_id, event.event_id, ${type}, event.id,
        json_build_object(
          'id', event.event_id,
          'type', ${type},
          'created_at', ${utc('event.created_at')},
          'data', json_build_object(
            'message_id', event.id,
            'instance_id', event.instance_id,
            'instance_name', event.instance_name,
            'phone_number', event.phone_number,
            'customer_name', event.customer_name,
            'text', event.body,
            'provider_message_id', event.provider_message_id,
            'received_at', ${utc('event.created_at')},
            'in_reply_to', CASE WHEN event.answered_id IS NOT NULL THEN json_build_object(
              'message_id', event.answered_id,
              'invoice_id', event.answered_invoice_id,
              'message_type', event.answered_message_type,
              'sent_at', ${utc('event.answered_sent_at')},
              'metadata', event.answered_metadata) END))
      FROM reply_event event
      JOIN webhook_endpoints endpoint
        ON endpoint.account_id = event.account_id AND endpoint.enabled AND endpoint.deleted_at IS NULL
       AND ${type} = ANY(endpoint.events)
    )`;
}

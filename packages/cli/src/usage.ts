export const USAGE = `Usage: telenexus <command> [options]

Commands:
  start                               Run the whole system: migrations, ingress, dispatcher, and the
                                      Evolution sandbox when EVOLUTION_API_URL is not set
  run ingress|dispatcher|sandbox      Run one service in this process (what containers do)
  migrate                             Apply database migrations
  accounts create --name NAME [--json]
                                      Also prints the account's first admin key, once
  keys create --account ID --name NAME [--permissions send_message,receive_message,admin] [--json]
                                      Prints the new API key once; it cannot be shown again
  instances create --account ID --name NAME --evolution-instance NAME
                   [--evolution-token TOKEN] [--country KE] [--timezone Africa/Nairobi] [--json]
                                      Also points the Evolution instance's webhook at Telenexus
  instances webhook --instance ID     Points the instance's Evolution webhook at Telenexus again

Settings come from the environment (DATABASE_URL, REDIS_URL, EVOLUTION_API_URL, …); see .env.example.
`;

package org.custody.server;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The {@code java -jar custody-server.jar} command line: serve a ledger, or make a new token. */
final class Launcher {
    static final String USAGE = """
            usage: java -jar custody-server.jar --ledger FILE|postgresql://... [--ledger ...] [--port N] [--host ADDRESS] [--tokens FILE]
                                                [--config FILE] [--draft-ttl 15m] [--max-body-bytes N]
                                                [--max-open-drafts N] [--metrics-public true|false]
                                                [--checkpoint-key FILE --checkpoint-passphrase-file FILE] [--checkpoint-interval 1s]
                   java -jar custody-server.jar new-token --roles officer|inspector|admin[,...] --name NAME [--sites K01,K02|*]
                                                      [--exams HN-2026,SH-2026|*]
            --ledger once per exam serves several ledgers, each under /api/v1/ledgers/{ledger id}/...
            Several instances may serve one PostgreSQL ledger (docs/server.md, "Several instances").
            Options override CUSTODY_* environment variables, which override the config file (docs/server.md).""";

    private Launcher() {}

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        try {
            if (args.length > 0 && args[0].equals("new-token")) {
                return newToken(options(args, 1), out);
            }
            if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
                out.println(USAGE);
                return 0;
            }
            List<org.custody.ledger.LedgerLocation> ledgers = new ArrayList<>();
            ServerConfig config = ServerConfig.load(options(args, 0, ledgers), env);
            if (ledgers.size() > 1) {
                config = config.withLocations(ledgers);
            }
            CustodyServer server = CustodyServer.start(config);
            out.println("custody server listening on http://" + config.host() + ":" + server.port() + " for "
                    + String.join(", ", config.ledgers().stream().map(Object::toString).toList()));
            server.awaitShutdown();
            return 0;
        } catch (PortInUseException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException | org.custody.failure.MalformedInputException | org.custody.failure.StoreException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** {@code --key value} pairs from {@code args[from..]}; each option once. */
    static Map<String, String> options(String[] args, int from) {
        return options(args, from, null);
    }

    /**
     * {@code --key value} pairs from {@code args[from..]}; each option once, except {@code --ledger} when
     * {@code ledgers} collects its values (the first is also in the map).
     */
    static Map<String, String> options(String[] args, int from, List<org.custody.ledger.LedgerLocation> ledgers) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = from; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() < 3) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            String key = arg.substring(2);
            String value;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("option --" + key + " needs a value");
            }
            if (ledgers != null && key.equals("ledger")) {
                ledgers.add(org.custody.ledger.LedgerLocation.parse(value));
                out.putIfAbsent(key, value);
                continue;
            }
            if (out.put(key, value) != null) {
                throw new IllegalArgumentException("option --" + key + " is given twice");
            }
        }
        return out;
    }

    private static int newToken(Map<String, String> o, PrintStream out) {
        Set<String> known = Set.of("roles", "name", "sites", "exams");
        for (String k : o.keySet()) {
            if (!known.contains(k)) {
                throw new IllegalArgumentException("unknown option --" + k + " for new-token");
            }
        }
        if (!o.containsKey("roles") || !o.containsKey("name")) {
            throw new IllegalArgumentException("new-token needs --roles and --name");
        }
        Set<ApiRole> roles = EnumSet.noneOf(ApiRole.class);
        for (String r : o.get("roles").split(",")) {
            roles.add(ApiRole.fromWire(r));
        }
        Set<String> sites = o.containsKey("sites") ? Set.of(o.get("sites").split(",")) : Set.of();
        if (roles.contains(ApiRole.OFFICER) && sites.isEmpty()) {
            throw new IllegalArgumentException("an officer token needs --sites (or --sites '*' for every site)");
        }
        String token = Tokens.newToken();
        Set<String> exams = o.containsKey("exams") ? Tokens.exams(o.get("exams")) : Set.of();
        String line = Tokens.line(token, roles, o.get("name"), sites, exams);
        out.println("token (hand it to its holder now; the server keeps only its hash):");
        out.println("  " + token);
        out.println("line for the token file:");
        out.println("  " + line);
        return 0;
    }
}

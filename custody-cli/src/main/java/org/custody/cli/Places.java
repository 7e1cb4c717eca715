package org.custody.cli;

import java.util.List;
import java.util.stream.Collectors;
import org.custody.ledger.Ledger;
import org.custody.model.IncidentType;
import org.custody.model.PlaceKind;
import org.custody.model.RegisteredPlace;
import org.custody.model.Step;

/**
 * A typed {@code --place} checked against the places the ledger registered, before anyone signs: once a ledger registers
 * vaults (or exam rooms), a place that should be one must be one of them (R24), and a typo is an input error, not a
 * record stored with a finding or refused after everyone signed.
 */
final class Places {
    private Places() {}

    /** The kind of place a handoff of {@code step} happens at, if the ledger registers such places; else null. */
    static PlaceKind expected(Step step) {
        return step.entersVault() ? PlaceKind.VAULT : step == Step.OPEN ? PlaceKind.ROOM : null;
    }

    /** The kind of place an incident of {@code type} names, if any. */
    static PlaceKind expected(IncidentType type) {
        return type == IncidentType.VAULT_INSPECTION ? PlaceKind.VAULT : null;
    }

    /** Refuses {@code place} (exit 2) if the ledger registers places of {@code kind} and it is none of them. */
    static void require(Ledger ledger, PlaceKind kind, String place) {
        require(ledger, kind, place, null);
    }

    /**
     * Refuses {@code place} (exit 2) if the ledger registers places of {@code kind} and it is none of them; for rooms, only
     * the rooms of {@code sites} count (the sites of the bags opened; null: any), as R24 judges.
     */
    static void require(Ledger ledger, PlaceKind kind, String place, java.util.Set<String> sites) {
        require(kind == null || place == null ? List.of() : ledger.places(), kind, place, sites);
    }

    /** {@link #require(Ledger, PlaceKind, String, java.util.Set)} over the ledger's registered places {@code places}. */
    static void require(List<RegisteredPlace> places, PlaceKind kind, String place, java.util.Set<String> sites) {
        if (kind == null || place == null) {
            return;
        }
        List<RegisteredPlace> registered = places.stream().filter(p -> p.kind() == kind)
                .filter(p -> kind != PlaceKind.ROOM || sites == null || sites.contains(p.site())).toList();
        if (registered.isEmpty() || registered.stream().anyMatch(p -> p.id().equals(place))) {
            return;
        }
        String known = registered.stream().limit(12).map(p -> p.id() + (p.name() == null ? "" : " " + p.name()))
                .collect(Collectors.joining(", ")) + (registered.size() > 12 ? ", … (" + registered.size() + ")" : "");
        throw new UserError("--place " + place + " is not a registered " + kind.wire() + " (" + kind.chinese() + ") of this ledger;"
                + " the registered ones are: " + known + " (地点未登记，请核对)");
    }
}

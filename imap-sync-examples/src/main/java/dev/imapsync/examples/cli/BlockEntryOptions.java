package dev.imapsync.examples.cli;

import dev.imapsync.policy.BlockEntry;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** What {@code block add} and {@code block remove} name: an address or a domain, for every account or one. */
final class BlockEntryOptions {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--account", paramLabel = "ID",
            description = "Only for this account (default: for every account of the company).")
    String account;

    /** Exactly one of the two. */
    static final class Target {
        @Option(names = "--address", paramLabel = "ADDRESS", required = true, description = "An email address.")
        String address;

        @Option(names = "--domain", paramLabel = "DOMAIN", required = true,
                description = "A domain, with its subdomains (e.g. example.com).")
        String domain;
    }

    /**
     * The entry the options name, normalized.
     *
     * @throws UsageException when the address or domain is not one
     */
    BlockEntry entry() {
        try {
            BlockEntry e = target.address != null ? BlockEntry.address(target.address) : BlockEntry.domain(target.domain);
            return account == null ? e : new BlockEntry(e.kind(), e.value(), Optional.of(account));
        } catch (IllegalArgumentException e) {
            throw new UsageException((target.address != null ? "--address: " : "--domain: ") + e.getMessage());
        }
    }
}

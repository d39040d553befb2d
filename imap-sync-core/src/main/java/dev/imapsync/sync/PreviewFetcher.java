package dev.imapsync.sync;

import dev.imapsync.internal.content.PreviewExtractor;
import dev.imapsync.internal.content.PreviewPlan;
import dev.imapsync.internal.content.PreviewPlanner;
import dev.imapsync.internal.content.PreviewText;
import dev.imapsync.internal.content.TextPart;
import dev.imapsync.internal.mail.ConnectionFailure;
import dev.imapsync.internal.mail.FolderReader;
import dev.imapsync.message.MessagePreview;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the previews of a batch's matched messages: one {@code UID FETCH (BODYSTRUCTURE)} for
 * all of them, then one partial {@code BODY.PEEK[section]<0.N>} per distinct text part number
 * (usually one to three per batch), written back to back so that they cost one round trip. At
 * most N bytes of a message's text are kept; a message whose structure or text cannot be read
 * gets an empty preview and a warning, never a failed batch. Only a connection failure (or
 * throttling) stops it, as it stops the header fetch.
 *
 * <p>The sync runs it in three steps ({@link #start}, {@link #askParts}, {@link #finish}), each
 * writing its commands without waiting for their answers, so that a batch's previews overlap
 * with the next batch ({@code FolderSync.fetchBatches}); {@link #fetch} runs them back to back.
 *
 * <p>The text is extracted only after the fetches, not while their answers are read: the
 * connection is shared with the fetch-ahead thread, which reads the next batch's headers while
 * this thread extracts (measured: extracting inside the read held the connection for most of
 * the preview fetch's time). The bytes kept meanwhile are at most N per matched message.
 */
final class PreviewFetcher {
    /** The most warnings one batch's previews add to the folder's report. */
    static final int MAX_WARNINGS = 10;

    private final FolderReader reader;
    private final SyncOptions options;

    PreviewFetcher(FolderReader reader, SyncOptions options) {
        this.reader = reader;
        this.options = options;
    }

    /** The previews of a batch, by UID, and what went wrong. */
    record Result(Map<Long, MessagePreview> previews, List<String> warnings) {
    }

    /** A text part's first bytes as the server sent them, copied out of the response. */
    private record FetchedText(byte[] bytes, boolean decoded) {
    }

    /**
     * A batch's previews under way: what was asked, what came back so far. Its three steps run
     * on the committing thread ({@link #start}, {@link #askParts}, {@link #finish}); between them
     * its handlers may run on the fetch-ahead thread, when it reads past these answers, always
     * under the folder's command lock, which orders those writes before the next step's reads.
     */
    static final class Pending {
        private final long[] uids;
        private final Warnings warnings = new Warnings();
        private final Map<Long, PreviewPlan> plans = new HashMap<>();
        private final Map<Long, FetchedText> fetched = new HashMap<>();
        private final List<FolderReader.PartRequest> requests = new ArrayList<>();
        private final List<Set<Long>> answered = new ArrayList<>();
        private FolderReader.PartsInFlight structures;
        private FolderReader.PartsInFlight parts;

        private Pending(long[] uids) {
            this.uids = uids;
        }
    }

    /** @param uids the matched messages' UIDs, ascending, distinct */
    Result fetch(long[] uids) throws ConnectionFailure {
        Pending pending = start(uids);
        askParts(pending);
        return finish(pending);
    }

    /**
     * Writes the BODYSTRUCTURE fetch of the matched messages without waiting for its answer (the
     * server has it while it streams what was asked before).
     *
     * @param uids the matched messages' UIDs, ascending, distinct
     */
    Pending start(long[] uids) throws ConnectionFailure {
        Pending pending = new Pending(uids);
        pending.structures = reader.sendStructures(uids, (uid, buffer, offset, length) ->
                pending.plans.put(uid, PreviewPlanner.plan(buffer, offset, length)));
        return pending;
    }

    /**
     * Reads the structures (they depend on nothing but their own answer) and writes the part
     * fetches they call for, one per distinct text part number, without waiting for their answers.
     */
    void askParts(Pending pending) throws ConnectionFailure {
        pending.warnings.addAll(reader.finishParts(pending.structures).get(0));
        Map<String, List<Long>> bySection = new TreeMap<>();
        for (long uid : pending.uids) {
            PreviewPlan plan = pending.plans.get(uid);
            if (plan != null && !plan.encrypted() && plan.text().isPresent()) {
                bySection.computeIfAbsent(plan.text().get().section(), s -> new ArrayList<>()).add(uid);
            }
        }
        for (Map.Entry<String, List<Long>> e : bySection.entrySet()) {
            String section = e.getKey();
            long[] partUids = e.getValue().stream().mapToLong(Long::longValue).toArray();
            boolean binary = reader.offersBinary() && !section.equals("TEXT");
            Set<Long> got = new HashSet<>();
            pending.answered.add(got);
            pending.requests.add(new FolderReader.PartRequest(section, partUids, options.previewBytes(), binary,
                    (uid, buffer, offset, length) -> {
                        got.add(uid);
                        keep(pending.plans.get(uid).text().get(), uid, buffer, offset, length, binary,
                                pending.fetched, pending.warnings);
                    }));
        }
        pending.parts = reader.sendPartStarts(pending.requests);
    }

    /** Reads the part fetches' answers and extracts the previews. */
    Result finish(Pending pending) throws ConnectionFailure {
        Map<Long, PreviewPlan> plans = pending.plans;
        Map<Long, FetchedText> fetched = pending.fetched;
        Warnings warnings = pending.warnings;
        List<List<String>> partWarnings = reader.finishParts(pending.parts);
        for (int i = 0; i < pending.requests.size(); i++) {
            FolderReader.PartRequest r = pending.requests.get(i);
            Set<Long> got = pending.answered.get(i);
            long[] left = Arrays.stream(r.uids()).filter(uid -> !got.contains(uid)).toArray();
            List<String> w = partWarnings.get(i);
            if (r.decoded() && left.length > 0) {
                // BINARY refused for some (NO [UNKNOWN-CTE]: an encoding the server cannot undo): as stored, then
                w = reader.fetchPartStarts(r.section(), left, options.previewBytes(), false,
                        (uid, buffer, offset, length) -> keep(plans.get(uid).text().get(), uid, buffer, offset,
                                length, false, fetched, warnings));
            }
            warnings.addAll(w);
        }
        // the connection is free again: the fetch-ahead thread reads on while the texts are extracted
        PreviewExtractor extractor = new PreviewExtractor(options.previewLength());
        Map<Long, MessagePreview> previews = new HashMap<>();
        for (long uid : pending.uids) {
            PreviewPlan plan = plans.get(uid);
            if (plan == null) {
                previews.put(uid, empty()); // the fetch's warning says why
                continue;
            }
            plan.warnings().forEach(w -> warnings.add("UID " + uid + ": " + w));
            FetchedText text = fetched.get(uid);
            if (text == null) {
                previews.put(uid, plan.toPreview());
                continue;
            }
            TextPart part = plan.text().get();
            PreviewText extracted = extractor.extract(part, text.bytes(), 0, text.bytes().length, text.decoded(),
                    PreviewExtractor.isCut(part, options.previewBytes(), text.bytes().length, text.decoded()));
            extracted.warnings().forEach(w -> warnings.add("UID " + uid + ": " + w));
            previews.put(uid, plan.toPreview(extracted));
        }
        return new Result(previews, warnings.list());
    }

    /**
     * Copies a text part's first bytes out of the response (valid only during the call), unless
     * the server sent more than asked: then nothing is kept, so at most N bytes per message are.
     */
    private void keep(TextPart part, long uid, byte[] buffer, int offset, int length, boolean decoded,
                      Map<Long, FetchedText> fetched, Warnings warnings) {
        int maxBytes = options.previewBytes();
        if (length > maxBytes) {
            // a server that ignores <0.N>: what it sent may not be what was asked for
            warnings.add("UID " + uid + ": the server sent " + length + " bytes of part " + part.section()
                    + " where " + maxBytes + " were asked for; no preview");
            return;
        }
        fetched.put(uid, new FetchedText(Arrays.copyOfRange(buffer, offset, offset + length), decoded));
    }

    /** The empty preview of a message whose structure the server did not give. */
    static MessagePreview empty() {
        return new MessagePreview("", false, List.of(), false, false, Optional.empty());
    }

    /** A batch's warnings, at most {@link #MAX_WARNINGS}, then how many more there were. */
    private static final class Warnings {
        private final List<String> kept = new ArrayList<>();
        private int more;

        void add(String warning) {
            if (kept.size() < MAX_WARNINGS) {
                kept.add(warning);
            } else {
                more++;
            }
        }

        void addAll(List<String> warnings) {
            warnings.forEach(this::add);
        }

        List<String> list() {
            List<String> all = new ArrayList<>(kept);
            if (more > 0) {
                all.add(more + " more preview warning(s) in this batch");
            }
            return all;
        }
    }
}

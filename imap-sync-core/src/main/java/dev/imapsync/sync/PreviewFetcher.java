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
 * (usually one to three per batch). At most N bytes of a message's text are kept; a message
 * whose structure or text cannot be read gets an empty preview and a warning, never a failed
 * batch. Only a connection failure (or throttling) stops it, as it stops the header fetch.
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

    /** @param uids the matched messages' UIDs, ascending, distinct */
    Result fetch(long[] uids) throws ConnectionFailure {
        Warnings warnings = new Warnings();
        Map<Long, PreviewPlan> plans = new HashMap<>();
        warnings.addAll(reader.fetchStructures(uids, (uid, buffer, offset, length) ->
                plans.put(uid, PreviewPlanner.plan(buffer, offset, length))));
        Map<String, List<Long>> bySection = new TreeMap<>();
        for (long uid : uids) {
            PreviewPlan plan = plans.get(uid);
            if (plan != null && !plan.encrypted() && plan.text().isPresent()) {
                bySection.computeIfAbsent(plan.text().get().section(), s -> new ArrayList<>()).add(uid);
            }
        }
        int maxBytes = options.previewBytes();
        PreviewExtractor extractor = new PreviewExtractor(options.previewLength());
        Map<Long, PreviewText> texts = new HashMap<>();
        Set<Long> answered = new HashSet<>();
        for (Map.Entry<String, List<Long>> section : bySection.entrySet()) {
            long[] partUids = section.getValue().stream().mapToLong(Long::longValue).toArray();
            boolean binary = reader.offersBinary() && !section.getKey().equals("TEXT");
            List<String> partWarnings = reader.fetchPartStarts(section.getKey(), partUids, maxBytes, binary,
                    (uid, buffer, offset, length) -> {
                        answered.add(uid);
                        textOf(plans.get(uid).text().get(), uid, buffer, offset, length, binary, extractor, texts,
                                warnings);
                    });
            long[] left = section.getValue().stream().filter(uid -> !answered.contains(uid)).mapToLong(Long::longValue)
                    .toArray();
            if (binary && left.length > 0) {
                // BINARY refused for some (NO [UNKNOWN-CTE]: an encoding the server cannot undo): as stored, then
                partWarnings = reader.fetchPartStarts(section.getKey(), left, maxBytes, false,
                        (uid, buffer, offset, length) -> textOf(plans.get(uid).text().get(), uid, buffer, offset,
                                length, false, extractor, texts, warnings));
            }
            warnings.addAll(partWarnings);
        }
        Map<Long, MessagePreview> previews = new HashMap<>();
        for (long uid : uids) {
            PreviewPlan plan = plans.get(uid);
            if (plan == null) {
                previews.put(uid, empty()); // the fetch's warning says why
                continue;
            }
            plan.warnings().forEach(w -> warnings.add("UID " + uid + ": " + w));
            PreviewText text = texts.get(uid);
            if (text != null) {
                text.warnings().forEach(w -> warnings.add("UID " + uid + ": " + w));
            }
            previews.put(uid, new MessagePreview(text == null ? "" : text.text(), text != null && text.truncated(),
                    plan.attachments(), plan.encrypted() || (text != null && text.encrypted()),
                    plan.signed() || (text != null && text.signed()), plan.calendarMethod()));
        }
        return new Result(previews, warnings.list());
    }

    /** Extracts a text part's preview from its first bytes, unless the server sent more than asked. */
    private void textOf(TextPart part, long uid, byte[] buffer, int offset, int length, boolean decoded,
                        PreviewExtractor extractor, Map<Long, PreviewText> texts, Warnings warnings) {
        int maxBytes = options.previewBytes();
        if (length > maxBytes) {
            // a server that ignores <0.N>: what it sent may not be what was asked for
            warnings.add("UID " + uid + ": the server sent " + length + " bytes of part " + part.section()
                    + " where " + maxBytes + " were asked for; no preview");
            return;
        }
        // the structure's size is the encoded size: with BINARY only a full answer says the part ended
        boolean cut = length >= maxBytes || (!decoded && part.size() >= 0 && part.size() > length);
        texts.put(uid, extractor.extract(part, buffer, offset, length, decoded, cut));
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

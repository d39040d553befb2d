package dev.imapsync.sync;

import dev.imapsync.internal.mail.FolderReader;
import dev.imapsync.message.MessagePreview;
import java.util.List;
import java.util.Map;

final class PreviewFetcher {
    PreviewFetcher(FolderReader reader, SyncOptions options) {
    }

    record Result(Map<Long, MessagePreview> previews, List<String> warnings) {
    }

    Result fetch(long[] uids) {
        return new Result(Map.of(), List.of());
    }
}

package org.custody.audit;

import java.util.List;

/**
 * What checking the files taken at the scene against a ledger counted ({@code custody verify --attachments DIR}); the
 * attachments not found are I13 findings.
 *
 * @param checked    attachments the ledger's handoffs and incidents carry
 * @param found      of them, files found in the folder by digest and size
 * @param missing    of them, no file with their bytes nor of their name
 * @param altered    of them, no file with their bytes but a file of their name with other bytes
 * @param files      regular files hashed in the folder
 * @param unreadable files in the folder that could not be read, by path relative to it
 */
public record AttachmentTally(long checked, long found, long missing, long altered, long files, List<String> unreadable) {
    public AttachmentTally {
        unreadable = List.copyOf(unreadable);
    }

    /** One line for people, in English and Chinese. */
    public String summary() {
        return "attachments: " + checked + " checked, " + found + " found, " + missing + " missing, " + altered + " altered ("
                + files + " files hashed" + (unreadable.isEmpty() ? "" : ", " + unreadable.size() + " unreadable") + ")"
                + "  附件：核对 " + checked + "，找到 " + found + "，缺失 " + missing + "，被改动 " + altered;
    }
}

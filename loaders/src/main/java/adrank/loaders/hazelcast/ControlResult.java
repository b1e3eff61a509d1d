package adrank.loaders.hazelcast;

/** What a {@link ControlUpdate} returns to the client: the records before and after, or why it refused. */
record ControlResult(VersionControl before, VersionControl after, String error) {

    /** The change, or the refusal as an exception. */
    Change change() {
        if (!error.isEmpty()) {
            throw new VersionControlException(error);
        }
        return new Change(before, after);
    }
}

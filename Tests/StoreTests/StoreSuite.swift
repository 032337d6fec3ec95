import Testing

/// Every store test runs one at a time: some count the process's open HDF5 identifiers.
@Suite(.serialized) enum StoreSuite {}

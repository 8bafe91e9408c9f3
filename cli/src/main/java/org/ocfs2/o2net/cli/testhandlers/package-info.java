// SPDX-License-Identifier: MIT
/**
 * A small set of handlers for demos and tests, not for production: {@code echo}, {@code counter} and {@code slow}
 * (a deliberately slow handler, to have calls in progress to look at and to fail on shutdown). Their message types,
 * key and statuses are in {@link org.ocfs2.o2net.cli.testhandlers.TestHandlers}. They are found through
 * {@link org.ocfs2.o2net.cli.HandlerProvider} like any application's handlers.
 */
package org.ocfs2.o2net.cli.testhandlers;

/**
 * Cluster configuration: the nodes and timeouts ({@link org.ocfs2.o2net.config.ClusterConfig}), and readers for the
 * o2cb files {@code /etc/ocfs2/cluster.conf} ({@link org.ocfs2.o2net.config.ClusterConfParser}) and
 * {@code /etc/sysconfig/o2cb} ({@link org.ocfs2.o2net.config.O2cbSysconfig}).
 */
package org.ocfs2.o2net.config;

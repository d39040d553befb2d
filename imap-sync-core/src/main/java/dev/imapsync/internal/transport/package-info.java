/**
 * Transport checks without credentials (TCP, implicit TLS, STARTTLS, greeting, CAPABILITY),
 * TLS settings and the classification of network failures. Not supported API.
 */
package dev.imapsync.internal.transport;

/**
 * The only package that touches Jakarta Mail and Angus Mail: building sessions with the
 * secure settings, logging in behind guards, and reading folders. Not supported API.
 */
package dev.imapsync.internal.mail;

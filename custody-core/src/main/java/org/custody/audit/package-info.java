/** Findings with their stable codes (I01-I12 integrity, R01-R25 rules) and the audit report. */
package org.custody.audit;

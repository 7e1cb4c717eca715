/** Findings with their stable codes (I01-I11 integrity, R01-R22 rules) and the audit report. */
package org.custody.audit;

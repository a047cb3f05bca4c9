/*
 * ddlgate never talks to a remote through libgit2: it reads the local
 * object database only. Debian's libgit2 1.5 is built with mbedTLS and its
 * git_libgit2_init() parses the whole system CA bundle (about 54 million
 * instructions, 10 ms: more than the rest of a pre-push that changes no
 * migration). There is no option to skip it, so this definition takes the
 * place of mbedTLS's certificate-file parser for this process: it loads
 * nothing. Had libgit2 ever opened a TLS connection for us, it would have
 * no trusted certificate and fail closed, never connect unverified.
 */
struct mbedtls_x509_crt;

int mbedtls_x509_crt_parse_file(struct mbedtls_x509_crt *chain, const char *path);

int mbedtls_x509_crt_parse_file(struct mbedtls_x509_crt *chain, const char *path)
{
	(void)chain;
	(void)path;
	return 0;
}

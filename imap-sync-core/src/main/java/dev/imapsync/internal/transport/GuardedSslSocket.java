package dev.imapsync.internal.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * A TLS socket whose decrypted input is read through a {@link FramingGuard}; everything else
 * is the TLS socket's own. A wrapper because the JDK's TLS sockets cannot be subclassed, and
 * Angus needs an {@link SSLSocket} (to check the server's identity and to know the connection
 * is encrypted).
 */
final class GuardedSslSocket extends SSLSocket {
    private final SSLSocket d;
    private FramingGuard guard;

    GuardedSslSocket(SSLSocket delegate) {
        this.d = delegate;
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        if (guard == null) {
            guard = new FramingGuard(d.getInputStream());
        }
        return guard;
    }

    @Override
    public <T> T getOption(SocketOption<T> a) throws IOException {
        return d.getOption(a);
    }

    @Override
    public <T> Socket setOption(SocketOption<T> a, T b) throws IOException {
        d.setOption(a, b);
        return this;
    }

    @Override
    public boolean getEnableSessionCreation() {
        return d.getEnableSessionCreation();
    }

    @Override
    public boolean getNeedClientAuth() {
        return d.getNeedClientAuth();
    }

    @Override
    public boolean getUseClientMode() {
        return d.getUseClientMode();
    }

    @Override
    public boolean getWantClientAuth() {
        return d.getWantClientAuth();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return d.getEnabledCipherSuites();
    }

    @Override
    public String[] getEnabledProtocols() {
        return d.getEnabledProtocols();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return d.getSupportedCipherSuites();
    }

    @Override
    public String[] getSupportedProtocols() {
        return d.getSupportedProtocols();
    }

    @Override
    public SSLSession getSession() {
        return d.getSession();
    }

    @Override
    public void addHandshakeCompletedListener(HandshakeCompletedListener a) {
        d.addHandshakeCompletedListener(a);
    }

    @Override
    public void removeHandshakeCompletedListener(HandshakeCompletedListener a) {
        d.removeHandshakeCompletedListener(a);
    }

    @Override
    public void setEnableSessionCreation(boolean a) {
        d.setEnableSessionCreation(a);
    }

    @Override
    public void setEnabledCipherSuites(String[] a) {
        d.setEnabledCipherSuites(a);
    }

    @Override
    public void setEnabledProtocols(String[] a) {
        d.setEnabledProtocols(a);
    }

    @Override
    public void setNeedClientAuth(boolean a) {
        d.setNeedClientAuth(a);
    }

    @Override
    public void setUseClientMode(boolean a) {
        d.setUseClientMode(a);
    }

    @Override
    public void setWantClientAuth(boolean a) {
        d.setWantClientAuth(a);
    }

    @Override
    public void startHandshake() throws IOException {
        d.startHandshake();
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return d.getKeepAlive();
    }

    @Override
    public boolean getOOBInline() throws SocketException {
        return d.getOOBInline();
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return d.getReuseAddress();
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return d.getTcpNoDelay();
    }

    @Override
    public boolean isBound() {
        return d.isBound();
    }

    @Override
    public boolean isClosed() {
        return d.isClosed();
    }

    @Override
    public boolean isConnected() {
        return d.isConnected();
    }

    @Override
    public boolean isInputShutdown() {
        return d.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return d.isOutputShutdown();
    }

    @Override
    public int getLocalPort() {
        return d.getLocalPort();
    }

    @Override
    public int getPort() {
        return d.getPort();
    }

    @Override
    public int getSoLinger() throws SocketException {
        return d.getSoLinger();
    }

    @Override
    public int getTrafficClass() throws SocketException {
        return d.getTrafficClass();
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        return d.getOutputStream();
    }

    @Override
    public String toString() {
        return "Guarded" + d;
    }

    @Override
    public String getApplicationProtocol() {
        return d.getApplicationProtocol();
    }

    @Override
    public String getHandshakeApplicationProtocol() {
        return d.getHandshakeApplicationProtocol();
    }

    @Override
    public InetAddress getInetAddress() {
        return d.getInetAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        return d.getLocalAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return d.getLocalSocketAddress();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return d.getRemoteSocketAddress();
    }

    @Override
    public SocketChannel getChannel() {
        return d.getChannel();
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return d.supportedOptions();
    }

    @Override
    public BiFunction<SSLSocket, List<String>, String> getHandshakeApplicationProtocolSelector() {
        return d.getHandshakeApplicationProtocolSelector();
    }

    @Override
    public SSLParameters getSSLParameters() {
        return d.getSSLParameters();
    }

    @Override
    public SSLSession getHandshakeSession() {
        return d.getHandshakeSession();
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return d.getReceiveBufferSize();
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return d.getSendBufferSize();
    }

    @Override
    public int getSoTimeout() throws SocketException {
        return d.getSoTimeout();
    }

    @Override
    public void close() throws IOException {
        d.close();
    }

    @Override
    public void setReceiveBufferSize(int a) throws SocketException {
        d.setReceiveBufferSize(a);
    }

    @Override
    public void setSendBufferSize(int a) throws SocketException {
        d.setSendBufferSize(a);
    }

    @Override
    public void setSoTimeout(int a) throws SocketException {
        d.setSoTimeout(a);
    }

    @Override
    public void bind(SocketAddress a) throws IOException {
        d.bind(a);
    }

    @Override
    public void connect(SocketAddress a) throws IOException {
        d.connect(a);
    }

    @Override
    public void connect(SocketAddress a, int b) throws IOException {
        d.connect(a, b);
    }

    @Override
    public void sendUrgentData(int a) throws IOException {
        d.sendUrgentData(a);
    }

    @Override
    public void setKeepAlive(boolean a) throws SocketException {
        d.setKeepAlive(a);
    }

    @Override
    public void setOOBInline(boolean a) throws SocketException {
        d.setOOBInline(a);
    }

    @Override
    public void setPerformancePreferences(int a, int b, int c) {
        d.setPerformancePreferences(a, b, c);
    }

    @Override
    public void setReuseAddress(boolean a) throws SocketException {
        d.setReuseAddress(a);
    }

    @Override
    public void setSoLinger(boolean a, int b) throws SocketException {
        d.setSoLinger(a, b);
    }

    @Override
    public void setTcpNoDelay(boolean a) throws SocketException {
        d.setTcpNoDelay(a);
    }

    @Override
    public void setTrafficClass(int a) throws SocketException {
        d.setTrafficClass(a);
    }

    @Override
    public void shutdownInput() throws IOException {
        d.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        d.shutdownOutput();
    }

    @Override
    public void setHandshakeApplicationProtocolSelector(BiFunction<SSLSocket, List<String>, String> a) {
        d.setHandshakeApplicationProtocolSelector(a);
    }

    @Override
    public void setSSLParameters(SSLParameters a) {
        d.setSSLParameters(a);
    }
}
